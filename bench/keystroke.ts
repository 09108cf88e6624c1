// Per-keystroke latency in the language server: spawns server/out/server.js --stdio, opens a large
// file, types statements into it one character at a time at typing speed, and times each
// `didChange` to the first `publishDiagnostics` whose version covers it (what the user waits for).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { quantile } from './lib/stats';

export interface TypingPlan {
  /** File name inside the temporary workspace (decides the language). */
  fileName: string;
  languageId: string;
  text: string;
  /** Where each statement is typed: a new line is opened at the end of `line` with `indent`. */
  sites: { line: number; indent: string }[];
  /** What is typed at each site, one keystroke per entry (`()` is one keystroke: auto-closing). */
  keystrokes: string[];
}

export interface KeystrokeResult {
  lines: number;
  keystrokes: number;
  intervalMs: number;
  debounceMs: number;
  openMs: number;
  latenciesMs: number[];
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Keystrokes whose diagnostics never arrived before the next keystroke's. */
  overtaken: number;
  findingsBefore: number;
  findingsAfter: number;
  serverPeakRssBytes?: number;
}

interface Diagnostics {
  uri: string;
  version?: number;
  diagnostics: unknown[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function benchKeystrokes(serverJs: string, plan: TypingPlan, options: { intervalMs: number; debounceMs?: number; timeoutMs?: number; /** Stop typing once this much time has passed. */ budgetMs?: number }): Promise<KeystrokeResult> {
  const dir = mkdtempSync(join(tmpdir(), 'asyncguard-keys-'));
  const file = join(dir, plan.fileName);
  writeFileSync(file, plan.text);
  const uri = pathToFileURL(file).href;
  const rssFile = join(dir, 'rss.jsonl');
  const child = spawn(process.execPath, ['--require', join(__dirname, 'lib', 'report-rss.cjs'), serverJs, '--stdio'], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, ASYNCGUARD_BENCH_RSS_FILE: rssFile },
  });
  const conn = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const settings: Record<string, unknown> = options.debounceMs === undefined ? {} : { debounceMs: options.debounceMs };
  conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => settings));
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onNotification('window/logMessage', () => {});
  conn.onNotification('$/progress', () => {});

  let waiter: { version: number; resolve: (d: Diagnostics) => void } | undefined;
  let latest: Diagnostics | undefined;
  conn.onNotification('textDocument/publishDiagnostics', (d: Diagnostics) => {
    if (d.uri !== uri) return;
    latest = d;
    if (waiter && (d.version ?? -1) >= waiter.version) {
      const w = waiter;
      waiter = undefined;
      w.resolve(d);
    }
  });
  const diagnosticsFor = (version: number): Promise<Diagnostics> =>
    latest && (latest.version ?? -1) >= version ? Promise.resolve(latest) : new Promise((resolve) => (waiter = { version, resolve }));
  conn.listen();

  try {
    await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(dir).href,
      workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'bench' }],
      capabilities: {
        workspace: { configuration: true },
        textDocument: { publishDiagnostics: { versionSupport: true }, synchronization: { didSave: true } },
      },
      initializationOptions: settings,
    });
    await conn.sendNotification('initialized', {});
    await conn.sendNotification('workspace/didChangeConfiguration', { settings: { asyncguard: settings } });

    let version = 1;
    const openStart = performance.now();
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: plan.languageId, version, text: plan.text } });
    const opened = await withTimeout(diagnosticsFor(version), options.timeoutMs ?? 60_000, 'first diagnostics');
    const openMs = performance.now() - openStart;
    const findingsBefore = opened.diagnostics.length;

    const latencies: number[] = [];
    let overtaken = 0;
    // Sites are typed from the bottom up so earlier sites' line numbers stay valid.
    const sites = [...plan.sites].sort((a, b) => b.line - a.line);
    const lines = plan.text.split('\n');
    const typingStart = performance.now();
    for (const site of sites) {
      if (options.budgetMs !== undefined && performance.now() - typingStart > options.budgetMs) break;
      let line = site.line;
      let character = lines[site.line].length;
      const strokes = ['\n' + site.indent, ...plan.keystrokes];
      for (const stroke of strokes) {
        if (options.budgetMs !== undefined && performance.now() - typingStart > options.budgetMs) break;
        version++;
        const sent = performance.now();
        await conn.sendNotification('textDocument/didChange', {
          textDocument: { uri, version },
          contentChanges: [{ range: { start: { line, character }, end: { line, character } }, text: stroke }],
        });
        if (stroke.startsWith('\n')) {
          line++;
          character = stroke.length - 1;
        } else character += stroke === '()' ? 1 : stroke.length; // the caret sits inside auto-closed brackets
        const next = sent + options.intervalMs;
        const got = await Promise.race([diagnosticsFor(version).then(() => performance.now()), sleep(options.intervalMs).then(() => undefined)]);
        if (got === undefined) {
          // Not published within the typing interval: keep waiting, the next keystroke waits too.
          overtaken++;
          const late = await withTimeout(diagnosticsFor(version), options.timeoutMs ?? 60_000, `diagnostics of version ${version}`);
          void late;
          latencies.push(performance.now() - sent);
        } else latencies.push(got - sent);
        const wait = next - performance.now();
        if (wait > 0) await sleep(wait);
      }
    }
    const findingsAfter = (await diagnosticsFor(version)).diagnostics.length;
    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit');
    await waitForExit(child, 5000);
    let serverPeakRssBytes: number | undefined;
    try {
      serverPeakRssBytes = (JSON.parse(readFileSync(rssFile, 'utf8').split('\n')[0]) as { maxRssKiB: number }).maxRssKiB * 1024;
    } catch {
      serverPeakRssBytes = undefined;
    }
    return {
      lines: lines.length,
      keystrokes: latencies.length,
      intervalMs: options.intervalMs,
      debounceMs: options.debounceMs ?? 100,
      openMs,
      latenciesMs: latencies,
      p50: quantile(latencies, 0.5),
      p95: quantile(latencies, 0.95),
      p99: quantile(latencies, 0.99),
      max: Math.max(...latencies),
      overtaken,
      findingsBefore,
      findingsAfter,
      serverPeakRssBytes,
    };
  } finally {
    conn.dispose();
    if (child.exitCode === null) child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e) => (clearTimeout(t), reject(e)),
    );
  });
}

function waitForExit(child: ChildProcess, ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const t = setTimeout(resolve, ms);
    child.once('exit', () => (clearTimeout(t), resolve()));
  });
}

/**
 * A Python file of about `targetLines` lines made of real standard-library modules, with the
 * sites where statements get typed: new lines at the top of `async def` bodies, spread evenly.
 */
export function pythonTypingPlan(sourceFiles: string[], targetLines: number, siteCount: number): TypingPlan {
  const parts = ['import asyncio'];
  let count = 1;
  for (const f of sourceFiles) {
    if (count >= targetLines) break;
    // `from __future__` must open a module; inside the concatenation it would be a syntax error.
    const text = readFileSync(f, 'utf8').replace(/^from __future__ import .*$/gm, (m) => `# ${m}`);
    parts.push(`# ---- ${f.split('/').slice(-2).join('/')}`, text.trimEnd());
    count += text.split('\n').length + 1;
  }
  const text = parts.join('\n') + '\n';
  const lines = text.split('\n');
  const candidates: { line: number; indent: string }[] = [];
  for (let i = 0; i < lines.length - 1; i++) {
    const m = /^(\s*)async def [^#]*:\s*$/.exec(lines[i]);
    if (!m) continue;
    const next = /^(\s*)\S/.exec(lines[i + 1]);
    if (next && next[1].length > m[1].length) candidates.push({ line: i, indent: next[1] });
  }
  const sites = Array.from({ length: Math.min(siteCount, candidates.length) }, (_, k) => candidates[Math.floor((k * candidates.length) / Math.min(siteCount, candidates.length))]);
  // `asyncio.sleep(0)` typed as a user would, with `()` auto-closed: the finished line is an
  // unawaited coroutine, so every site must add exactly one finding.
  const keystrokes = [...'asyncio.sleep'].concat(['()', '0']);
  return { fileName: 'typing_bench.py', languageId: 'python', text, sites, keystrokes };
}

/**
 * A TypeScript file of the TS comparison corpus (`preferred` when it is there, else the largest `.ts`
 * under `projectsDir`), with sites at the top of `async` method and function bodies;
 * `Promise.resolve(0)` typed there floats.
 */
export function typescriptTypingPlan(projectsDir: string, siteCount: number, preferred?: string): TypingPlan | undefined {
  if (!existsSync(projectsDir)) return undefined;
  const files: string[] = [];
  const visit = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory() && e.name !== 'node_modules') visit(p);
      else if (e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) files.push(p);
    }
  };
  visit(projectsDir);
  if (!files.length) return undefined;
  const wanted = preferred && join(projectsDir, preferred);
  const file = wanted && existsSync(wanted) ? wanted : files.sort((a, b) => statSync(b).size - statSync(a).size)[0];
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const candidates: { line: number; indent: string }[] = [];
  for (let i = 0; i < lines.length - 1; i++) {
    const m = /^(\s*)(?:(?:public|private|protected|static|export)\s+)*async\s+(?:function\s*)?[\w$#]*\s*\([^)]*\)[^{]*\{\s*$/.exec(lines[i]);
    if (!m) continue;
    const next = /^(\s*)\S/.exec(lines[i + 1]);
    if (next && next[1].length > m[1].length) candidates.push({ line: i, indent: next[1] });
  }
  if (!candidates.length) return undefined;
  const n = Math.min(siteCount, candidates.length);
  const sites = Array.from({ length: n }, (_, k) => candidates[Math.floor((k * candidates.length) / n)]);
  // The workspace copy keeps only this file, so the engine sees it as a loose file of its folder.
  return { fileName: file.split('/').pop()!, languageId: 'typescript', text, sites, keystrokes: [...'Promise.resolve'].concat(['()', '0']) };
}
