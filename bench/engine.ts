// `npm run bench:engine`: the Python engine's throughput (files/s, MB/s) over the machine's
// standard library, in one thread, against a bare tree-sitter parse of the same texts in the
// same run. Reading and decoding the files is done once, up front, and timed on its own.
//
//   npm run bench:engine [-- --quick] [--rounds N] [--corpus stdlib|asyncio|debian-asyncio-libs]
//                        [--slowest N] [--json FILE]
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { analyzePython, loadPythonEngine } from '../server/src/engine/python/index';
import { parsePython } from '../server/src/engine/python/parser';
import { decodeSource } from '../server/src/engine/workspace/sourceFiles';
import { readFileSync } from 'node:fs';
import { asyncioCorpus, debianAsyncioCorpus, stdlibCorpus, type Corpus } from './lib/corpus';
import { fmt, fmtInt, median, MiB } from './lib/stats';

export interface EngineBenchResult {
  corpus: string;
  files: number;
  lines: number;
  bytes: number;
  readMs: number;
  rounds: number;
  parseMs: number[];
  engineMs: number[];
  /** CPU time (user + system) of the same passes: steadier than wall time on a busy machine. */
  parseCpuMs: number[];
  engineCpuMs: number[];
  /** Median engine time over median parse time. */
  ratio: number;
  cpuRatio: number;
  findings: number;
  heapUsedAfterMiB: number;
}

interface Loaded {
  path: string;
  text: string;
  bytes: number;
}

function load(corpus: Corpus): { texts: Loaded[]; readMs: number } {
  const t0 = performance.now();
  const texts: Loaded[] = [];
  for (const path of corpus.files) {
    const buf = readFileSync(path);
    const source = decodeSource(path, buf);
    if (source.kind === 'source') texts.push({ path, text: source.text, bytes: buf.length });
  }
  return { texts, readMs: performance.now() - t0 };
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

function parseAll(texts: Loaded[]): { ms: number; cpuMs: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (const { text } of texts) parsePython(text).delete();
  return { ms: performance.now() - t0, cpuMs: cpuMsSince(c0) };
}

function analyzeAll(texts: Loaded[], perFile?: Map<string, number>): { ms: number; cpuMs: number; findings: number } {
  let findings = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (const { path, text } of texts) {
    const f0 = perFile ? performance.now() : 0;
    findings += analyzePython(text, { path }).findings.length;
    if (perFile) perFile.set(path, (perFile.get(path) ?? 0) + performance.now() - f0);
  }
  return { ms: performance.now() - t0, cpuMs: cpuMsSince(c0), findings };
}

export async function benchEngine(corpus: Corpus, rounds: number, slowest = 0, log = console.log): Promise<EngineBenchResult> {
  const { texts, readMs } = load(corpus);
  await loadPythonEngine();
  // Warm both paths (JIT, the stdlib summaries) on a slice so round one is not charged for it.
  const warm = texts.slice(0, Math.min(20, texts.length));
  parseAll(warm);
  analyzeAll(warm);
  const parseMs: number[] = [];
  const engineMs: number[] = [];
  const parseCpuMs: number[] = [];
  const engineCpuMs: number[] = [];
  const perFile = slowest ? new Map<string, number>() : undefined;
  let findings = 0;
  for (let r = 0; r < rounds; r++) {
    const parse = parseAll(texts);
    parseMs.push(parse.ms);
    parseCpuMs.push(parse.cpuMs);
    const run = analyzeAll(texts, perFile);
    engineMs.push(run.ms);
    engineCpuMs.push(run.cpuMs);
    findings = run.findings;
    log(`  round ${r + 1}/${rounds}: parse ${fmt(parse.ms / 1000)} s (CPU ${fmt(parse.cpuMs / 1000)} s), engine ${fmt(run.ms / 1000)} s (CPU ${fmt(run.cpuMs / 1000)} s)`);
  }
  if (perFile) {
    log(`  slowest files (engine ms, summed over rounds):`);
    for (const [p, ms] of [...perFile].sort((a, b) => b[1] - a[1]).slice(0, slowest)) log(`    ${fmt(ms, 0).padStart(7)}  ${p}`);
  }
  const bytes = texts.reduce((n, t) => n + t.bytes, 0);
  return {
    corpus: corpus.name,
    files: texts.length,
    lines: corpus.lines,
    bytes,
    readMs,
    rounds,
    parseMs,
    engineMs,
    parseCpuMs,
    engineCpuMs,
    ratio: median(engineMs) / median(parseMs),
    cpuRatio: median(engineCpuMs) / median(parseCpuMs),
    findings,
    heapUsedAfterMiB: process.memoryUsage().heapUsed / MiB,
  };
}

export function describeEngineResult(r: EngineBenchResult): string {
  const p = median(r.parseMs) / 1000;
  const e = median(r.engineMs) / 1000;
  const mb = r.bytes / 1e6;
  return [
    `corpus ${r.corpus}: ${fmtInt(r.files)} files, ${fmtInt(r.lines)} lines, ${fmt(mb, 1)} MB (read + decode ${fmt(r.readMs / 1000)} s, not counted)`,
    `  bare tree-sitter parse: ${fmt(p)} s  ${fmtInt(r.files / p)} files/s  ${fmt(mb / p)} MB/s`,
    `  engine (parse + analysis): ${fmt(e)} s  ${fmtInt(r.files / e)} files/s  ${fmt(mb / e)} MB/s  ${fmtInt(r.findings)} findings`,
    `  engine / bare parse: ${fmt(r.ratio)}x wall, ${fmt(r.cpuRatio)}x CPU  (median of ${r.rounds} round${r.rounds === 1 ? '' : 's'}, one thread)`,
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      rounds: { type: 'string' },
      corpus: { type: 'string' },
      slowest: { type: 'string', default: '0' },
      json: { type: 'string' },
    },
  });
  const name = values.corpus ?? (values.quick ? 'asyncio' : 'stdlib');
  const corpus = name === 'asyncio' ? asyncioCorpus() : name === 'debian-asyncio-libs' ? debianAsyncioCorpus() : stdlibCorpus();
  const rounds = Number(values.rounds ?? (values.quick ? 1 : 3));
  console.log(`bench:engine on ${corpus.description}`);
  const result = await benchEngine(corpus, rounds, Number(values.slowest));
  console.log(describeEngineResult(result));
  if (values.json) writeFileSync(values.json, JSON.stringify(result, null, 2) + '\n');
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
