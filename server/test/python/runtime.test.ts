// CPython is the referee for unawaited-coroutine: every fixture file is run case by case
// (never_awaited.py) with coroutine origin tracking on, and the lines where CPython warns
// "coroutine ... was never awaited" — or where the driver saw an async generator created and never
// iterated — must be exactly the lines marked `unawaited-coroutine` (lines with a suppression comment
// may warn too: suppressing a real finding is their point). This proves the positive cases are real
// bugs and the negative ones really do not leak.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import {
  examplesRoot,
  expectMarks,
  hasSuppressionComment,
  listPythonFixtures,
  pythonFixtureRoot,
  splitLines,
  unparsableFixtures,
} from './fixture-marks';
import { exampleFindings } from './example-findings';

const run = promisify(execFile);
const python = process.env.ASYNCGUARD_PYTHON ?? 'python3';
const driver = join(__dirname, 'never_awaited.py');
const scratch = mkdtempSync(join(tmpdir(), 'asyncguard-runtime-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

interface DriverReport {
  warnings: { file: string | null; line: number | null; message: string }[];
  cases: string[];
  errors: string[];
}

// run-in-running-loop's fixtures are about a RuntimeError, not a warning: their calls are not run here
const fixtures = listPythonFixtures().filter((f) => !f.startsWith('run-in-running-loop/'));
const runnable = fixtures.filter((f) => !unparsableFixtures.has(f));

/** One interpreter runs every runnable fixture (interpreter start-up dominates otherwise). */
async function runAll(): Promise<Record<string, DriverReport>> {
  const out = join(scratch, 'report.json');
  await run(python, ['-B', driver, out, ...runnable], { cwd: pythonFixtureRoot, timeout: 120_000, maxBuffer: 16 << 20 });
  return JSON.parse(readFileSync(out, 'utf8')) as Record<string, DriverReport>;
}

let allReports: Promise<Record<string, DriverReport>> | undefined;

for (const file of fixtures) {
  const path = join(pythonFixtureRoot, file);
  if (unparsableFixtures.has(file)) {
    test(`runtime: ${file} is rejected by CPython's parser`, async () => {
      await assert.rejects(run(python, ['-m', 'py_compile', path]), /SyntaxError/);
    });
    continue;
  }
  test(`runtime: ${file}`, async () => {
    const text = readFileSync(path, 'utf8');
    const lines = splitLines(text);
    const marked = new Set(expectMarks(text).filter((m) => m.rule === 'unawaited-coroutine').map((m) => m.line + 1));
    allReports ??= runAll();
    const report = (await allReports)[file];
    assert.ok(report, `${file}: the driver did not run it`);

    assert.deepEqual(report.errors, [], `${file}: cases raised`);
    assert.ok(report.cases.length > 0, `${file}: defines no case_* function, so nothing was exercised`);

    const problems: string[] = [];
    const warned = new Set<number>();
    for (const w of report.warnings) {
      if (w.file === null || w.line === null || realpathSync(w.file) !== realpathSync(path)) {
        problems.push(`  warning from outside the fixture: ${w.message} (${w.file}:${w.line})`);
        continue;
      }
      warned.add(w.line);
      if (!marked.has(w.line) && !hasSuppressionComment(lines[w.line - 1] ?? '')) {
        problems.push(`  unmarked   line ${w.line}: ${w.message} — ${lines[w.line - 1]?.trim()}`);
      }
    }
    for (const line of [...marked].sort((a, b) => a - b)) {
      if (!warned.has(line)) problems.push(`  no warning line ${line}: ${lines[line - 1]?.trim()}`);
    }
    if (problems.length) assert.fail(`${file}: CPython disagrees with the unawaited-coroutine marks\n${problems.join('\n')}`);
  });
}

test('runtime: the example project warns exactly on its listed unawaited coroutine', async () => {
  // `python -X dev` tracks coroutine origins, so each warning names the line that created it.
  const { stderr, stdout } = await run(python, ['-B', '-X', 'dev', '-m', 'orders'], { cwd: examplesRoot, timeout: 60_000 });
  assert.match(stdout, /audit trail: empty/);
  const origins = new Set<string>();
  const stderrLines = stderr.split('\n');
  stderrLines.forEach((line, i) => {
    if (!line.includes('was never awaited')) return;
    // The indented traceback after "Coroutine created at (most recent call last)": innermost last.
    let origin: RegExpExecArray | undefined;
    for (let j = i + 2; j < stderrLines.length && /^\s/.test(stderrLines[j]); j++) {
      origin = /^\s*File "(.+)", line (\d+), in /.exec(stderrLines[j]) ?? origin;
    }
    origins.add(origin && existsSync(origin[1]) ? `${realpathSync(origin[1])}:${origin[2]}` : `no origin for: ${line}`);
  });
  const marked = new Set(
    exampleFindings()
      .filter((f) => f.rule === 'unawaited-coroutine' && f.cell === undefined) // the notebook is not part of the program run here
      .map((f) => `${realpathSync(join(examplesRoot, f.file))}:${f.line}`),
  );
  assert.ok(marked.size > 0, 'the example has an unawaited coroutine');
  assert.deepEqual([...origins].sort(), [...marked].sort(), stderr);
});
