// Reads a V8 `.cpuprofile` (node --cpu-prof) and ranks functions by self time and by inclusive
// (self + callees) time, with the sample interval as the unit.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface FunctionCost {
  name: string;
  /** file:line, relative to the repository when inside it. */
  where: string;
  selfMs: number;
  totalMs: number;
}

export interface ProfileSummary {
  totalMs: number;
  functions: FunctionCost[];
  /** Self time grouped by source: engine files, web-tree-sitter, node internals, GC, ... */
  byArea: { area: string; selfMs: number }[];
}

export function summarizeProfile(file: string, repoRoot: string): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const selfByNode = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    selfByNode.set(profile.samples[i], (selfByNode.get(profile.samples[i]) ?? 0) + dt);
  }

  const key = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'}\u0000${n.callFrame.url}\u0000${n.callFrame.lineNumber}`;
  const costs = new Map<string, FunctionCost>();
  const cost = (n: ProfileNode): FunctionCost => {
    const k = key(n);
    let c = costs.get(k);
    if (!c) {
      const url = n.callFrame.url.replace(/^file:\/\//, '');
      // tsx compiles each .ts file to one line, so only the file says where a TypeScript function is
      const line = url.endsWith('.ts') ? '' : `:${n.callFrame.lineNumber + 1}`;
      const where = url ? `${url.startsWith(repoRoot) ? relative(repoRoot, url) : url}${line}` : '';
      c = { name: n.callFrame.functionName || '(anonymous)', where, selfMs: 0, totalMs: 0 };
      costs.set(k, c);
    }
    return c;
  };
  const areas = new Map<string, number>();
  let totalMs = 0;
  for (const [id, ms] of selfByNode) {
    const node = byId.get(id)!;
    totalMs += ms;
    cost(node).selfMs += ms;
    const area = areaOf(node.callFrame.url, node.callFrame.functionName, repoRoot);
    areas.set(area, (areas.get(area) ?? 0) + ms);
    // inclusive time: charge each distinct function on the stack once
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur)!;
      const k = key(n);
      if (seen.has(k)) continue;
      seen.add(k);
      cost(n).totalMs += ms;
    }
  }
  return {
    totalMs,
    functions: [...costs.values()],
    byArea: [...areas].map(([area, selfMs]) => ({ area, selfMs })).sort((a, b) => b.selfMs - a.selfMs),
  };
}

function areaOf(url: string, fn: string, repoRoot: string): string {
  if (fn === '(garbage collector)') return 'garbage collector';
  if (fn === '(program)' || fn === '(idle)') return `V8 ${fn}`;
  const path = url.replace(/^file:\/\//, '');
  if (path.includes('web-tree-sitter') || path.startsWith('wasm://')) return 'web-tree-sitter (parse, tree walking)';
  if (path.startsWith(repoRoot) && !path.includes('node_modules')) return relative(repoRoot, path);
  if (path.startsWith('node:') || !path) return 'node internals';
  return path.includes('node_modules') ? `node_modules/${path.split('node_modules/').pop()!.split('/')[0]}` : path;
}

export function topBy(summary: ProfileSummary, field: 'selfMs' | 'totalMs', n: number): FunctionCost[] {
  return [...summary.functions].sort((a, b) => b[field] - a[field]).slice(0, n);
}
