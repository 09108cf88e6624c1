// Reading source files (BOM, line endings, encodings, binary, size) and walking folders
// (.gitignore, excludes, default skips, symlink loops).
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { excludeMatcher, emptyConfig } from '../../src/engine/workspace/configuration';
import { decodeSource, dominantLineEnding, readSourceFile, withLineEnding, writeFileAtomic } from '../../src/engine/workspace/sourceFiles';
import { walkSourceFiles } from '../../src/engine/workspace/walk';
import { makeTree, runInProcess } from './helpers';

describe('readSourceFile', () => {
  it('strips and remembers a UTF-8 BOM and the dominant line ending', () => {
    const dir = makeTree({ 'bom.py': Buffer.from('\ufeffx = 1\r\ny = 2\r\nz = 3\n', 'utf8'), 'lf.py': 'a\nb\r\nc\n' });
    assert.deepEqual(readSourceFile(join(dir, 'bom.py')), {
      kind: 'source',
      path: join(dir, 'bom.py'),
      text: 'x = 1\r\ny = 2\r\nz = 3\n',
      bom: true,
      eol: '\r\n',
      mode: statSync(join(dir, 'bom.py')).mode & 0o7777,
    });
    const lf = readSourceFile(join(dir, 'lf.py'));
    assert.equal(lf.kind === 'source' && lf.bom, false);
    assert.equal(lf.kind === 'source' && lf.eol, '\n');
  });

  it('gives a reason for what it will not analyse', () => {
    const reason = (bytes: number[] | Buffer) => {
      const r = decodeSource('f.py', Uint8Array.from(bytes));
      return r.kind === 'skipped' ? r.reason : 'analysed';
    };
    assert.equal(reason(Buffer.from('caf\xe9 = 1\n', 'latin1')), 'not UTF-8');
    assert.equal(reason([0xc3]), 'not UTF-8', 'a truncated sequence');
    assert.equal(reason([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00]), 'binary file (contains NUL bytes)');
    assert.equal(reason([0xff, 0xfe, 0x78, 0x00]), 'not UTF-8 (UTF-16 byte order mark)');
    assert.equal(reason([]), 'analysed');
    assert.equal(reason(Buffer.from('\ufeff', 'utf8')), 'analysed');
  });

  it('skips a file over the size limit with its size, and reads one at the limit', () => {
    const dir = makeTree({ 'big.py': 'x' .repeat(3 * 1024 * 1024 + 1), 'ok.py': 'y'.repeat(1024) });
    assert.deepEqual(readSourceFile(join(dir, 'big.py'), 3 * 1024 * 1024), {
      kind: 'skipped',
      path: join(dir, 'big.py'),
      reason: 'too large (3.1 MB, the limit is 3 MB)',
    });
    assert.equal(readSourceFile(join(dir, 'ok.py'), 1024).kind, 'source');
  });

  it('a folder or a missing file is a reason, not a crash', () => {
    const dir = makeTree({ 'd/a.py': '' });
    assert.deepEqual(readSourceFile(join(dir, 'd')), { kind: 'skipped', path: join(dir, 'd'), reason: 'not a regular file' });
    assert.deepEqual(readSourceFile(join(dir, 'gone.py')), { kind: 'skipped', path: join(dir, 'gone.py'), reason: 'cannot read (ENOENT)' });
  });

  it('line endings: the most common one, and inserted text converted to it', () => {
    assert.equal(dominantLineEnding('a\r\nb\r\nc\n'), '\r\n');
    assert.equal(dominantLineEnding('a\nb\r\n'), '\n');
    assert.equal(dominantLineEnding('one line'), '\n');
    assert.equal(dominantLineEnding('a\rb\r'), '\r');
    assert.equal(withLineEnding('a\nb\r\nc', '\r\n'), 'a\r\nb\r\nc');
    assert.equal(withLineEnding('a\r\nb\n', '\n'), 'a\nb\n');
  });
});

describe('writeFileAtomic', () => {
  it('writes a new file, and replaces an existing one keeping its mode', () => {
    const dir = makeTree({ 'x.sh': 'old\n' });
    writeFileAtomic(join(dir, 'x.sh'), Buffer.from('new\n'), 0o750);
    assert.equal(readFileSync(join(dir, 'x.sh'), 'utf8'), 'new\n');
    assert.equal(statSync(join(dir, 'x.sh')).mode & 0o7777, 0o750);
    writeFileAtomic(join(dir, 'fresh.py'), Buffer.from('a'));
    assert.equal(statSync(join(dir, 'fresh.py')).mode & 0o7777, 0o644);
    assert.deepEqual(readdirSync(dir).sort(), ['fresh.py', 'x.sh']);
  });

  it('fails cleanly, leaving no temporary file, when the folder is gone', () => {
    const dir = makeTree({});
    assert.throws(() => writeFileAtomic(join(dir, 'missing', 'a.py'), Buffer.from('a')), /ENOENT/);
    assert.deepEqual(readdirSync(dir), []);
  });
});

describe('walkSourceFiles', () => {
  const rel = (dir: string, files: string[]) => files.map((f) => f.slice(dir.length + 1));

  it('finds Python and TS/JS files, sorted, skipping the default excluded folders', () => {
    const dir = makeTree({
      'b.py': '',
      'a.pyi': '',
      'web/app.tsx': '',
      'web/types.d.ts': '',
      'web/x.mjs': '',
      'notes.txt': '',
      '.venv/lib/site.py': '',
      'node_modules/pkg/index.js': '',
      'pkg/__pycache__/m.py': '',
      '.git/hooks/h.py': '',
    });
    const files = walkSourceFiles(dir, { isExcluded: excludeMatcher(emptyConfig(dir)) });
    assert.deepEqual(rel(dir, files), ['a.pyi', 'b.py', 'web/app.tsx', 'web/x.mjs']);
  });

  it('never walks into .git, even with the default excludes replaced', () => {
    const dir = makeTree({ '.git/x.py': '', 'a.py': '' });
    assert.deepEqual(rel(dir, walkSourceFiles(dir, { isExcluded: () => false })), ['a.py']);
  });

  it('respects .gitignore files at every level, negations, and those above the folder up to the repository root', () => {
    const dir = makeTree({
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.gitignore': 'build/\n*.gen.py\n',
      'build/out.py': '',
      'src/a.py': '',
      'src/b.gen.py': '',
      'src/.gitignore': '!keep.gen.py\nlocal_*.py\n',
      'src/keep.gen.py': '',
      'src/local_settings.py': '',
      'src/sub/local_x.py': '',
      'other/local_y.py': '',
    });
    assert.deepEqual(rel(dir, walkSourceFiles(dir)), ['other/local_y.py', 'src/a.py', 'src/keep.gen.py']);
    // Walking only src/ still applies the repository root's .gitignore.
    assert.deepEqual(rel(dir, walkSourceFiles(join(dir, 'src'))), ['src/a.py', 'src/keep.gen.py']);
    assert.deepEqual(rel(dir, walkSourceFiles(dir, { respectGitignore: false })), [
      'build/out.py',
      'other/local_y.py',
      'src/a.py',
      'src/b.gen.py',
      'src/keep.gen.py',
      'src/local_settings.py',
      'src/sub/local_x.py',
    ]);
  });

  it('outside a repository, .gitignore files above the folder do not apply', () => {
    const dir = makeTree({ '.gitignore': '*.py\n', 'inner/a.py': '' });
    assert.deepEqual(rel(dir, walkSourceFiles(join(dir, 'inner'))), ['inner/a.py']);
    assert.deepEqual(walkSourceFiles(dir), []);
  });

  it('follows symlinks inside the walked folder, none out of it, no folder twice and never around a loop', () => {
    const dir = makeTree({ 'pkg/a.py': '', 'shared/s.py': '' });
    symlinkSync(dir, join(dir, 'pkg', 'loop'));
    symlinkSync(join(dir, 'shared'), join(dir, 'pkg', 'linked'));
    symlinkSync(join(dir, 'nowhere.py'), join(dir, 'pkg', 'dangling.py'));
    const files = rel(dir, walkSourceFiles(join(dir, 'pkg')));
    // from pkg/, both links lead out of it: neither is followed (--fix must stay inside pkg/)
    assert.deepEqual(files, ['pkg/a.py']);
    // from the top, pkg/linked stays inside and is walked once; pkg/loop leads back to the top
    assert.deepEqual(rel(dir, walkSourceFiles(dir)), ['pkg/a.py', 'pkg/linked/s.py']);
  });

  it('a named file is returned as it is, whatever its extension', () => {
    const dir = makeTree({ 'script': '' });
    assert.deepEqual(walkSourceFiles(join(dir, 'script')), [join(dir, 'script')]);
  });
});

describe('asyncguard check on a repository with .gitignore', () => {
  it('reports nothing in ignored files', async () => {
    const seed = 'async def nested():\n    return 42\n\nasync def main():\n    nested()\n';
    const dir = makeTree({ '.gitignore': 'generated/\n', 'generated/g.py': seed, 'app.py': seed });
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    const r = await runInProcess(['check'], dir);
    assert.equal(r.stdout, "app.py:5:5: unawaited-coroutine Coroutine 'nested()' is never awaited\nFound 1 problem (1 fixable with --fix).\n");
  });
});

describe('asyncguard check --exclude and --extend-exclude', () => {
  const seed = 'async def nested():\n    return 42\n\nasync def main():\n    nested()\n';
  const tree = () =>
    makeTree({
      'pyproject.toml': '[tool.asyncguard]\nextend-exclude = ["legacy"]\n',
      'app.py': seed,
      'gen/g.py': seed,
      'legacy/old.py': seed,
      'sub/gen_one.py': seed,
      'sub/keep.py': seed,
      '.venv/lib.py': seed,
    });
  const files = (stdout: string) => [...new Set(stdout.split('\n').filter((l) => l.includes(': unawaited-coroutine')).map((l) => l.split(':')[0]))];
  const cases: { name: string; argv: string[]; files: string[] }[] = [
    { name: 'without either: the configured and the default excludes', argv: ['check'], files: ['app.py', 'gen/g.py', 'sub/gen_one.py', 'sub/keep.py'] },
    { name: '--extend-exclude adds a folder name, matched anywhere', argv: ['check', '--extend-exclude', 'gen'], files: ['app.py', 'sub/gen_one.py', 'sub/keep.py'] },
    { name: '--extend-exclude takes paths relative to the working folder, comma-separated and repeated', argv: ['check', '--extend-exclude', 'sub/gen_*.py,gen', '--extend-exclude', 'app.py'], files: ['sub/keep.py'] },
    { name: '--exclude replaces the default list (.venv is walked) but not extend-exclude of pyproject.toml', argv: ['check', '--exclude', 'gen'], files: ['.venv/lib.py', 'app.py', 'sub/gen_one.py', 'sub/keep.py'] },
    { name: 'a file named on the command line is checked whatever the excludes say', argv: ['check', '--extend-exclude', 'gen', 'gen/g.py'], files: ['gen/g.py'] },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const r = await runInProcess(c.argv, tree());
      assert.equal(r.stderr, '');
      assert.deepEqual(files(r.stdout), c.files);
    });
  }
});
