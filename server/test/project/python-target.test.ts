// Which Python the code the engine writes must run on: `target-version`, else the floor of
// `requires-python` (or Poetry's `python`) in the nearest pyproject.toml, else the interpreter's version.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Analyzer } from '../../src/engine/analyzer';
import { specifierFloor, type PythonVersion } from '../../src/engine/pythonVersion';
import { Workspace } from '../../src/engine/workspace/index';

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
  /** The target an analysis of `file` runs with: the file's settings, else the interpreter's version. */
  const targetOf = (file: string, interpreter: () => PythonVersion | undefined = () => [3, 12], workspace = new Workspace()) => {
    const analyzer = new Analyzer({ python: { contextFor: () => undefined, pythonVersion: interpreter } });
    return analyzer.rulesFor(file, workspace.settingsFor(file)?.rules).pythonTarget;
  };

  test('requires-python of the nearest pyproject.toml wins over the interpreter', () => {
    assert.deepEqual(targetOf(project('modern', '[project]\nname = "x"\nrequires-python = ">=3.11"\n')), [3, 11]);
  });

  test('an older floor is kept even when the interpreter is newer', () => {
    assert.deepEqual(targetOf(project('legacy', '[project]\nname = "x"\nrequires-python = ">=3.8"\n')), [3, 8]);
  });

  test('Poetry’s python dependency', () => {
    assert.deepEqual(targetOf(project('poetry', '[tool.poetry.dependencies]\npython = "^3.10"\n')), [3, 10]);
  });

  test('target-version of [tool.asyncguard] wins over requires-python', () => {
    assert.deepEqual(targetOf(project('explicit', '[project]\nrequires-python = ">=3.8"\n[tool.asyncguard]\ntarget-version = "py311"\n')), [3, 11]);
  });

  test('a pyproject.toml that says nothing, or cannot be read as TOML, leaves it to the interpreter', () => {
    for (const [name, text] of [['silent', '[project]\nname = "x"\n'], ['broken', '[project\n']]) {
      assert.deepEqual(targetOf(project(name, text)), [3, 12], name);
    }
  });

  test('no pyproject.toml and no interpreter: unknown (fixes assume 3.9)', () => {
    assert.equal(targetOf(project('bare', undefined), () => undefined), undefined);
  });

  test('an edited pyproject.toml is read again once the workspace is told', () => {
    const file = project('edited', '[project]\nrequires-python = ">=3.8"\n');
    const workspace = new Workspace();
    assert.deepEqual(targetOf(file, () => undefined, workspace), [3, 8]);
    writeFileSync(join(root, 'edited', 'pyproject.toml'), '[project]\nrequires-python = ">=3.12"\n');
    workspace.settings.clear();
    assert.deepEqual(targetOf(file, () => undefined, workspace), [3, 12]);
  });
});
