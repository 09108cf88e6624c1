// `npm run bench:engine`: the Python engine's throughput (files/s, MB/s) over the machine's
// standard library, in one thread, against a bare tree-sitter parse of the same texts in the
// same run. Reading and decoding the files is done once, up front, and timed on its own.
//
//   npm run bench:engine [-- --quick] [--rounds N] [--corpus stdlib|asyncio|debian-asyncio-libs]
//                        [--slowest N] [--json FILE] [--reference DIR] [--phases]
//
// --phases adds one more pass that charges the engine's CPU time to its phases: tree-sitter's
// parse, the lowering walk into arrays, the semantic model, the rules (with the inference they ask).
//
// --reference DIR measures, in the same rounds, the engine of another checkout of this repository
// with its own node_modules (`git worktree add ../before main && cd ../before && npm ci`): the
// before/after figures of a change then come from one run on one machine load.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { activeRules, analyzePython, checkCalls, loadPythonEngine, normalizeLineEnds, prepareFile } from '../server/src/engine/python/index';
import { lowerTree } from '../server/src/engine/python/lowering';
import { parsePython } from '../server/src/engine/python/parser';
import { defaultRuleSettings } from '../server/src/engine/rules';
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
  /** CPU ms of one more (warm) pass of this engine, by phase (--phases); `bare` is a bare parse just before it. */
  phases?: { bare: number; parse: number; lower: number; model: number; rules: number };
  /** The engine of the --reference checkout, measured in the same rounds. */
  reference?: { dir: string; engineMs: number[]; engineCpuMs: number[]; ratio: number; cpuRatio: number; findings: number };
}

/** What the benchmark calls of an engine: this checkout's or the reference's. */
interface PythonEngine {
  loadPythonEngine(): Promise<unknown>;
  analyzePython(text: string, options: { path: string }): { findings: unknown[] };
}

const thisEngine: PythonEngine = { loadPythonEngine, analyzePython };

async function referenceEngine(dir: string): Promise<PythonEngine> {
  const entry = join(resolve(dir), 'server', 'src', 'engine', 'python', 'index.ts');
  const engine = (await import(pathToFileURL(entry).href)) as PythonEngine;
  await engine.loadPythonEngine();
  return engine;
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

function analyzeAll(engine: PythonEngine, texts: Loaded[], perFile?: Map<string, number>): { ms: number; cpuMs: number; findings: number } {
  let findings = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (const { path, text } of texts) {
    const f0 = perFile ? performance.now() : 0;
    findings += engine.analyzePython(text, { path }).findings.length;
    if (perFile) perFile.set(path, (perFile.get(path) ?? 0) + performance.now() - f0);
  }
  return { ms: performance.now() - t0, cpuMs: cpuMsSince(c0), findings };
}

function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** analyzePython's steps one by one, each file's CPU time charged to the step that spent it. */
function phasesOf(texts: Loaded[]): NonNullable<EngineBenchResult['phases']> {
  const rules = defaultRuleSettings();
  const active = activeRules(rules);
  const out = { bare: parseAll(texts).cpuMs, parse: 0, lower: 0, model: 0, rules: 0 };
  for (const { path, text } of texts) {
    const source = normalizeLineEnds(text);
    const c0 = cpuNow();
    const parsed = parsePython(source);
    const c1 = cpuNow();
    const tree = lowerTree(parsed, source);
    parsed.delete();
    const c2 = cpuNow();
    const file = prepareFile(tree, { path });
    file.model.completeAll();
    const c3 = cpuNow();
    try {
      checkCalls(file, file.model.calls, rules, active);
    } catch {
      // what analyzePython reports as a note: the time spent still counts
    }
    const c4 = cpuNow();
    out.parse += c1 - c0;
    out.lower += c2 - c1;
    out.model += c3 - c2;
    out.rules += c4 - c3;
  }
  return out;
}

export async function benchEngine(corpus: Corpus, rounds: number, slowest = 0, log = console.log, referenceDir?: string, phases = false): Promise<EngineBenchResult> {
  const { texts, readMs } = load(corpus);
  await loadPythonEngine();
  const reference = referenceDir ? await referenceEngine(referenceDir) : undefined;
  // Warm every path (JIT, the stdlib summaries) on a slice so round one is not charged for it.
  const warm = texts.slice(0, Math.min(20, texts.length));
  parseAll(warm);
  analyzeAll(thisEngine, warm);
  if (reference) analyzeAll(reference, warm);
  const parseMs: number[] = [];
  const engineMs: number[] = [];
  const parseCpuMs: number[] = [];
  const engineCpuMs: number[] = [];
  const refMs: number[] = [];
  const refCpuMs: number[] = [];
  const perFile = slowest ? new Map<string, number>() : undefined;
  let findings = 0;
  let refFindings = 0;
  for (let r = 0; r < rounds; r++) {
    const parse = parseAll(texts);
    parseMs.push(parse.ms);
    parseCpuMs.push(parse.cpuMs);
    const run = analyzeAll(thisEngine, texts, perFile);
    engineMs.push(run.ms);
    engineCpuMs.push(run.cpuMs);
    findings = run.findings;
    let line = `  round ${r + 1}/${rounds}: parse ${fmt(parse.ms / 1000)} s (CPU ${fmt(parse.cpuMs / 1000)} s), engine ${fmt(run.ms / 1000)} s (CPU ${fmt(run.cpuMs / 1000)} s)`;
    if (reference) {
      const ref = analyzeAll(reference, texts);
      refMs.push(ref.ms);
      refCpuMs.push(ref.cpuMs);
      refFindings = ref.findings;
      line += `, reference ${fmt(ref.ms / 1000)} s (CPU ${fmt(ref.cpuMs / 1000)} s)`;
    }
    log(line);
  }
  if (perFile) {
    log(`  slowest files (engine ms, summed over rounds):`);
    for (const [p, ms] of [...perFile].sort((a, b) => b[1] - a[1]).slice(0, slowest)) log(`    ${fmt(ms, 0).padStart(7)}  ${p}`);
  }
  const bytes = texts.reduce((n, t) => n + t.bytes, 0);
  return {
    phases: phases ? phasesOf(texts) : undefined,
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
    reference: referenceDir
      ? {
          dir: referenceDir,
          engineMs: refMs,
          engineCpuMs: refCpuMs,
          ratio: median(refMs) / median(parseMs),
          cpuRatio: median(refCpuMs) / median(parseCpuMs),
          findings: refFindings,
        }
      : undefined,
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
    ...(r.phases
      ? [
          `  engine CPU by phase, one more pass (bare parse just before it: ${fmt(r.phases.bare / 1000)} s): ` +
            (['parse', 'lower', 'model', 'rules'] as const).map((k) => `${k} ${fmt(r.phases![k] / 1000)} s (${fmt(r.phases![k] / r.phases!.bare)}x)`).join(', '),
        ]
      : []),
    ...(r.reference
      ? [
          `  reference engine (${r.reference.dir}): ${fmt(median(r.reference.engineMs) / 1000)} s  ${fmtInt(r.reference.findings)} findings`,
          `  reference / bare parse: ${fmt(r.reference.ratio)}x wall, ${fmt(r.reference.cpuRatio)}x CPU`,
        ]
      : []),
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
      reference: { type: 'string' },
      phases: { type: 'boolean', default: false },
    },
  });
  const name = values.corpus ?? (values.quick ? 'asyncio' : 'stdlib');
  const corpus = name === 'asyncio' ? asyncioCorpus() : name === 'debian-asyncio-libs' ? debianAsyncioCorpus() : stdlibCorpus();
  const rounds = Number(values.rounds ?? (values.quick ? 1 : 3));
  console.log(`bench:engine on ${corpus.description}`);
  const result = await benchEngine(corpus, rounds, Number(values.slowest), console.log, values.reference, values.phases);
  console.log(describeEngineResult(result));
  if (values.json) writeFileSync(values.json, JSON.stringify(result, null, 2) + '\n');
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
