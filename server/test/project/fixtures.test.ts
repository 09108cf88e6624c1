// Cross-module inference on the fixture projects: every Python file of each project is analysed in
// its project, and its findings must equal its `# expect:` marks exactly (DESIGN.md's fixture format).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { Analyzer } from '../../src/engine/analyzer';
import { expectMarks, splitLines } from '../python/fixture-marks';
import { fixtureProjects, openFixture, pythonFilesOf } from './fixture-projects';

const analyzer = new Analyzer();
before(() => analyzer.init());

for (const fixture of fixtureProjects) {
  const project = openFixture(fixture);
  const checked = new Analyzer({ python: project });
  for (const file of pythonFilesOf(fixture.root)) {
    test(`project ${fixture.name}: ${file}`, async () => {
      await checked.init();
      const path = join(fixture.root, file);
      const text = readFileSync(path, 'utf8');
      const lines = splitLines(text);
      const expected = expectMarks(text).map((m) => `${m.line + 1}: ${m.rule}: ${lines[m.line].trim()}`);
      const { findings } = checked.analyze({ path, text });
      const actual = findings.map((f) => `${f.range.start.line + 1}: ${f.rule}: ${lines[f.range.start.line].trim()}`);
      assert.deepEqual(actual.sort(), expected.sort());
    });
  }
}
