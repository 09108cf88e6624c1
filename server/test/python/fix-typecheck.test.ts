// The safe fixes leave typed code type-checking as it did: the fixtures of fixtures/typed-fixes
// (typed modules with dropped tasks and unawaited coroutines), fixed by `--fix`'s loop, get no
// diagnostic from mypy (Debian's) or pyright (npm's), in their default and strict modes, that they
// did not get before. Modules under py38/ are fixed and checked for Python 3.8.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Analyzer } from '../../src/engine/analyzer';
import { fixAll } from '../../src/engine/fixAll';
import { defaultRuleSettings } from '../../src/engine/rules';
import type { PythonVersion } from '../../src/engine/types';
import { expectMarks, listFiles } from './fixture-marks';

const FIXTURES = join(__dirname, '..', 'fixtures', 'typed-fixes');
const repo = join(__dirname, '..', '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'asyncguard-typecheck-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

interface Group {
  name: string;
  /** Fixture folder relative to FIXTURES ('' for the top), its files not in subfolders. */
  folder: string;
  target: PythonVersion;
}

const GROUPS: Group[] = [
  { name: 'Python 3.11', folder: '', target: [3, 11] },
  { name: 'Python 3.8', folder: 'py38', target: [3, 8] },
];

type Diagnostics = Map<string, string[]>;

function run(command: string, args: string[], cwd: string): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, maxBuffer: 1 << 26, timeout: 600_000 }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/**
 * A diagnostic as compared before and after: positions left out, also those in the message (mypy's
 * "already defined on line 9" names a line that the lines a fix adds above it move).
 */
const withoutLines = (key: string) => key.replace(/\bline \d+/g, 'line N');

/** `severity code message` of every error or warning per module, positions left out. */
async function mypy(dir: string, files: string[], version: string, strict: boolean): Promise<Diagnostics> {
  const args = ['--no-incremental', '--no-error-summary', '--show-error-codes', '--no-color-output', '--python-version', version, ...(strict ? ['--strict'] : []), ...files];
  const r = await run('mypy', args, dir);
  assert.ok(r.status === 0 || r.status === 1, `mypy failed: ${r.stderr}${r.stdout}`);
  const out = new Map(files.map((f) => [f, [] as string[]]));
  for (const line of r.stdout.split('\n')) {
    const m = /^(.+?):\d+: error: (.*?)(?:  \[([\w-]+)\])?$/.exec(line);
    if (m) out.get(m[1])?.push(withoutLines(`error ${m[3]} ${m[2]}`));
  }
  return out;
}

async function pyright(dir: string, files: string[], version: string, strict: boolean): Promise<Diagnostics> {
  const config = join(dir, `pyrightconfig.json`);
  writeFileSync(config, JSON.stringify({ include: files, typeCheckingMode: strict ? 'strict' : 'standard', pythonVersion: version }));
  const r = await run(process.execPath, [join(repo, 'node_modules', 'pyright', 'index.js'), '--outputjson', '-p', config], dir);
  assert.ok(r.status === 0 || r.status === 1, `pyright failed: ${r.stderr}${r.stdout}`);
  const out = new Map(files.map((f) => [f, [] as string[]]));
  const json = JSON.parse(r.stdout) as { generalDiagnostics: Array<{ file: string; severity: string; rule?: string; message: string }> };
  for (const d of json.generalDiagnostics) {
    if (d.severity === 'error' || d.severity === 'warning') out.get(relative(dir, d.file))?.push(withoutLines(`${d.severity} ${d.rule} ${d.message}`));
  }
  return out;
}

const CHECKERS: Record<string, (dir: string, files: string[], version: string) => Promise<Diagnostics>> = {
  mypy: (d, f, v) => mypy(d, f, v, false),
  'mypy --strict': (d, f, v) => mypy(d, f, v, true),
  pyright: (d, f, v) => pyright(d, f, v, false),
  'pyright strict': (d, f, v) => pyright(d, f, v, true),
};

/** Diagnostics of `after` that `before` does not have, as multisets. */
function added(before: string[], after: string[]): string[] {
  const left = [...before];
  return after.filter((d) => {
    const i = left.indexOf(d);
    if (i >= 0) left.splice(i, 1);
    return i < 0;
  });
}

describe('the safe fixes of typed code type-check as before', { timeout: 20 * 60_000 }, () => {
  const analyzer = new Analyzer();
  before(() => analyzer.init());

  for (const group of GROUPS) {
    describe(group.name, () => {
      const files = listFiles(join(FIXTURES, group.folder), ['.py']).filter((f) => !f.includes('/'));
      const version = group.target.join('.');
      const dirs = { before: join(scratch, group.folder || 'top', 'before'), after: join(scratch, group.folder || 'top', 'after') };
      const results: Record<string, { before: Diagnostics; after: Diagnostics }> = {};

      before(async () => {
        const rules = { ...defaultRuleSettings(), pythonTarget: group.target };
        for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
        for (const file of files) {
          const text = readFileSync(join(FIXTURES, group.folder, file), 'utf8');
          cpSync(join(FIXTURES, group.folder, file), join(dirs.before, file));
          const analyze = (t: string) => analyzer.analyze({ path: join(FIXTURES, group.folder, file), text: t, rules });
          const found = analyze(text).findings.map((f) => `${f.range.start.line} ${f.rule}`);
          assert.deepEqual(found, expectMarks(text).map((m) => `${m.line} ${m.rule}`), `${file}: the findings its marks expect`);
          const fixed = await fixAll(text, analyze, { unsafe: false });
          assert.ok(fixed.converged && fixed.applied > 0, `${file}: the safe fixes apply`);
          assert.deepEqual(fixed.result.findings.filter((f) => f.fixes.some((x) => x.safe)), [], `${file}: no safe fix is left`);
          writeFileSync(join(dirs.after, file), fixed.text);
        }
        // both folders at once for each checker: two processes, two cores
        for (const [name, check] of Object.entries(CHECKERS)) {
          const [b, a] = await Promise.all([check(dirs.before, files, version), check(dirs.after, files, version)]);
          results[name] = { before: b, after: a };
        }
      });

      for (const name of Object.keys(CHECKERS)) {
        it(`${name}: no new diagnostic in ${files.join(', ')}`, () => {
          const { before: b, after: a } = results[name];
          const news = files.flatMap((f) => added(b.get(f) ?? [], a.get(f) ?? []).map((d) => `${f}: ${d}`));
          assert.deepEqual(news, []);
        });
      }

      it('the fixed modules declare one typed set each', () => {
        for (const file of files) {
          const text = readFileSync(join(dirs.after, file), 'utf8');
          const sets = text.split('\n').filter((l) => /^\w+: .*= set\(\)$/.test(l));
          assert.equal(sets.length, 1, `${file}:\n${text}`);
          if (file !== 'existing_set.py') assert.match(sets[0], group.target[1] >= 9 ? /^background_tasks: "?set\[/ : /^background_tasks: "Set\[/);
        }
      });
    });
  }
});
