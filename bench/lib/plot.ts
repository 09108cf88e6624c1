// The scaling plot: time and peak memory against lines of code, drawn by ECharts' server-side SVG
// renderer.
import * as echarts from 'echarts';

export interface ScalingPoint {
  label: string;
  lines: number;
  cliSeconds: number;
  parseSeconds: number;
  cliCpuSeconds?: number;
  parseCpuSeconds?: number;
  cliPeakRssMiB?: number;
  parsePeakRssMiB?: number;
}

export function scalingSvg(points: ScalingPoint[], title: string): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 900, height: 520 });
  const k = (n: number) => n / 1000;
  chart.setOption({
    animation: false,
    title: { text: title, left: 'center', textStyle: { fontSize: 15 } },
    legend: { bottom: 10, itemGap: 28 },
    grid: { left: 70, right: 80, top: 70, bottom: 110 },
    xAxis: { type: 'value', name: 'thousand lines of Python', nameLocation: 'middle', nameGap: 32, min: 0 },
    yAxis: [
      { type: 'value', name: 'time (s)', min: 0, position: 'left' },
      { type: 'value', name: 'peak RSS (MiB)', min: 0, position: 'right', splitLine: { show: false } },
    ],
    series: [
      { name: 'check, wall', type: 'line', yAxisIndex: 0, symbolSize: 8, data: points.map((p) => [k(p.lines), round(p.cliSeconds)]) },
      { name: 'parse, wall', type: 'line', yAxisIndex: 0, symbolSize: 8, data: points.map((p) => [k(p.lines), round(p.parseSeconds)]) },
      {
        name: 'parse, CPU',
        type: 'line',
        yAxisIndex: 0,
        lineStyle: { type: 'dotted' },
        symbolSize: 6,
        data: points.filter((p) => p.parseCpuSeconds !== undefined).map((p) => [k(p.lines), round(p.parseCpuSeconds!)]),
      },
      {
        name: 'check, CPU',
        type: 'line',
        yAxisIndex: 0,
        lineStyle: { type: 'dotted' },
        symbolSize: 6,
        data: points.filter((p) => p.cliCpuSeconds !== undefined).map((p) => [k(p.lines), round(p.cliCpuSeconds!)]),
      },
      {
        name: 'check, RSS',
        type: 'line',
        yAxisIndex: 1,
        lineStyle: { type: 'dashed' },
        symbolSize: 8,
        data: points.filter((p) => p.cliPeakRssMiB !== undefined).map((p) => [k(p.lines), Math.round(p.cliPeakRssMiB!)]),
      },
      {
        name: 'parse, RSS',
        type: 'line',
        yAxisIndex: 1,
        lineStyle: { type: 'dashed' },
        symbolSize: 8,
        data: points.filter((p) => p.parsePeakRssMiB !== undefined).map((p) => [k(p.lines), Math.round(p.parsePeakRssMiB!)]),
      },
    ],
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg + '\n';
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Least-squares line through the points; r2 says how straight they lie. */
export function linearFit(xs: number[], ys: number[]): { slope: number; intercept: number; r2: number } {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  const slope = sxx ? sxy / sxx : 0;
  const intercept = my - slope * mx;
  return { slope, intercept, r2: syy ? (sxy * sxy) / (sxx * syy) : 1 };
}
