// `npm test`: installs what is missing, builds, type-checks, then runs every test file with node's
// test runner (unit, protocol, extension host, browser, Neovim). Node prints its summary; ours
// follows, counting skipped tests (whole skipped suites too) and saying why each was skipped.
// `npm run test:unit` (`--unit`): the engine and CLI tests only, without the type-check (that is
// `npm run typecheck`) and without the slow ones that run other programs over many inputs.
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureInstalled, root } from './ensure-installed.mjs';
import { summary } from './test-events.mjs';

const unit = process.argv[2] === '--unit';
/** Left out of the unit run: fuzzing, edit-by-edit and fix-by-fix sweeps over every fixture, and tests that run CPython, mypy or apt over many inputs. */
const NOT_UNIT = [
  'server/test/fuzz/',
  'server/test/python/document.test.ts',
  'server/test/ts/document.test.ts',
  'server/test/project/debian-libraries.test.ts',
  'server/test/python/fix-typecheck.test.ts',
  'server/test/ts/fix-typecheck.test.ts',
  'server/test/python/runtime.test.ts',
  'server/test/python/rule-docs.test.ts',
  'server/test/docs/concept-pages.test.ts',
  'server/test/notebook/kernel.test.ts',
];

ensureInstalled();
execSync('node scripts/build.mjs', { cwd: root, stdio: 'inherit' });
if (!unit) execSync('npx tsc -p server', { cwd: root, stdio: 'inherit' });

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'fixtures' || name === 'artifacts') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const only = process.argv.slice(unit ? 3 : 2);
const all = unit
  ? [...findTests(join(root, 'server', 'test')), join(root, 'test', 'architecture.test.ts')]
  : [...findTests(join(root, 'server', 'test')), ...findTests(join(root, 'test'))];
const files = (only.length ? only : all)
  .map((f) => relative(root, f))
  .filter((f) => only.length || !unit || !NOT_UNIT.some((n) => f.startsWith(n)))
  .sort();
const events = join(mkdtempSync(join(tmpdir(), 'asyncguard-test-')), 'events.jsonl');
const result = spawnSync(
  process.execPath,
  [
    '--import', 'tsx', '--test',
    // node runs one file fewer than the cores at a time; the unit run takes them all
    ...(unit ? [`--test-concurrency=${availableParallelism()}`] : []),
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    `--test-reporter=${pathToFileURL(join(root, 'scripts', 'test-events.mjs')).href}`, `--test-reporter-destination=${events}`,
    ...files,
  ],
  { cwd: root, stdio: 'inherit' },
);
console.log(summary(existsSync(events) ? readFileSync(events, 'utf8') : '', root));
process.exit(result.status ?? 1);
