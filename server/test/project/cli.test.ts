// `asyncguard check --format json` on whole fixture projects, with the engine the CLI builds (its
// Python projects, without the persistent cache so the fixtures stay clean): the findings across
// modules are exactly the projects' `# expect:` marks, file by file.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../src/cli/run';
import { Analyzer } from '../../src/engine/analyzer';
import { cliPythonProjects } from '../../src/engine/project/projects';
import { expectMarks } from '../python/fixture-marks';
import { fixtureProjects, pythonFilesOf } from './fixture-projects';

for (const name of ['packages', 'srclayout', 'recall']) {
  test(`asyncguard check ${name}/ reports the cross-module findings`, async () => {
    const root = fixtureProjects.find((f) => f.name === name)!.root;
    let out = '';
    const code = await runCli(['check', '--format', 'json', '.'], {
      cwd: root,
      stdout: (t) => void (out += t),
      stderr: () => undefined,
      stderrIsTTY: false,
      engineFor: (options) => {
        const projects = cliPythonProjects({ interpreter: options.python, noCache: true, log: options.log });
        const analyzer = new Analyzer({ python: projects });
        return { init: () => analyzer.init(), analyze: (req) => analyzer.analyze(req) };
      },
      version: 'test',
    });
    assert.equal(code, 1);
    const reported = (JSON.parse(out) as { findings: { file: string; line: number; rule: string }[] }).findings.map(
      (f) => `${f.file}:${f.line} ${f.rule}`,
    );
    const expected = pythonFilesOf(root).flatMap((file) =>
      expectMarks(readFileSync(join(root, file), 'utf8')).map((m) => `${relative(root, join(root, file)).split('\\').join('/')}:${m.line + 1} ${m.rule}`),
    );
    assert.deepEqual(reported.sort(), expected.sort());
  });
}
