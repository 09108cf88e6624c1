// Which Python the code the engine writes must run on: the floor of `requires-python` (or
// Poetry's `python`) in the nearest pyproject.toml, else the interpreter's version.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { pythonTargetFor, specifierFloor, type PythonVersion } from '../../src/engine/project/pythonTarget';

describe('the floor of a version specifier', () => {
  const cases: Array<[string, PythonVersion | undefined]> = [
    ['>=3.11', [3, 11]],
    ['>= 3.8, <4', [3, 8]],
    ['>=3.9,!=3.10.*', [3, 9]],
    ['~=3.11.2', [3, 11]],
    ['==3.12.*', [3, 12]],
    ['>3.10', [3, 10]],
    ['<3.13,>=3.10', [3, 10]],
    ['^3.11', [3, 11]],
    ['~3.9', [3, 9]],
    ['3.11', [3, 11]],
    ['>=3.8 || >=3.11', [3, 8]],
    ['<3.13', undefined],
    ['*', undefined],
    ['', undefined],
  ];
  for (const [spec, floor] of cases) {
    test(JSON.stringify(spec), () => assert.deepEqual(specifierFloor(spec), floor));
  }
});

describe('the target of a file', () => {
  const root = mkdtempSync(join(tmpdir(), 'asyncguard-target-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const project = (name: string, pyproject: string | undefined) => {
    const dir = join(root, name);
    mkdirSync(join(dir, 'pkg'), { recursive: true });
    if (pyproject !== undefined) writeFileSync(join(dir, 'pyproject.toml'), pyproject);
    return join(dir, 'pkg', 'app.py');
  };
  const interpreter = (): PythonVersion => [3, 12];

  test('requires-python of the nearest pyproject.toml wins over the interpreter', () => {
    const file = project('modern', '[project]\nname = "x"\nrequires-python = ">=3.11"\n');
    assert.deepEqual(pythonTargetFor(file, interpreter), { version: [3, 11], source: join(root, 'modern', 'pyproject.toml') });
  });

  test('an older floor is kept even when the interpreter is newer', () => {
    const file = project('legacy', '[project]\nname = "x"\nrequires-python = ">=3.8"\n');
    assert.deepEqual(pythonTargetFor(file, interpreter).version, [3, 8]);
  });

  test('Poetry’s python dependency', () => {
    const file = project('poetry', '[tool.poetry.dependencies]\npython = "^3.10"\n');
    assert.deepEqual(pythonTargetFor(file, interpreter).version, [3, 10]);
  });

  test('a pyproject.toml that says nothing, or cannot be read as TOML, leaves it to the interpreter', () => {
    for (const [name, text] of [['silent', '[project]\nname = "x"\n'], ['broken', '[project\n']]) {
      assert.deepEqual(pythonTargetFor(project(name, text), interpreter), { version: [3, 12], source: 'interpreter' });
    }
  });

  test('no pyproject.toml and no interpreter: unknown', () => {
    const file = project('bare', undefined);
    assert.deepEqual(pythonTargetFor(file, () => undefined), {});
  });

  test('an edited pyproject.toml is read again', () => {
    const file = project('edited', '[project]\nrequires-python = ">=3.8"\n');
    assert.deepEqual(pythonTargetFor(file, interpreter).version, [3, 8]);
    const later = new Date(Date.now() + 5000);
    writeFileSync(join(root, 'edited', 'pyproject.toml'), '[project]\nrequires-python = ">=3.12"\n');
    // the cache keys on the modification time, which a quick second write may share
    utimesSync(join(root, 'edited', 'pyproject.toml'), later, later);
    assert.deepEqual(pythonTargetFor(file, interpreter).version, [3, 12]);
  });
});
