// The Python fixtures are the engine's specification: for every fixture file, the findings'
// (line, rule) pairs must equal the file's `# expect:` marks exactly, and each finding's range
// must cover the offending call (columns in UTF-16 code units, as LSP counts them).
// The example project (Python and TypeScript) is held the same way to the findings listed in
// test/example-findings.json (its sources carry no marks), through the Analyzer front door that
// the CLI and the language server use.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { Analyzer } from '../../src/engine/analyzer';
import { analyzePython, loadPythonEngine } from '../../src/engine/python/index';
import type { AnalysisResult, Finding, Range } from '../../src/engine/types';
import { exampleFindings, exampleMarks } from './example-findings';
import { examplesRoot, expectMarks, listExamples, listFiles, listPythonFixtures, pythonFixtureRoot, splitLines, type Mark } from './fixture-marks';

const analyzer = new Analyzer();

before(async () => {
  await loadPythonEngine();
  await analyzer.init();
});

function rangeText(lines: string[], range: Range): string {
  const { start, end } = range;
  if (start.line === end.line) return (lines[start.line] ?? '').slice(start.character, end.character);
  const parts = [(lines[start.line] ?? '').slice(start.character)];
  for (let l = start.line + 1; l < end.line; l++) parts.push(lines[l] ?? '');
  parts.push((lines[end.line] ?? '').slice(0, end.character));
  return parts.join('\n');
}

/** A call expression's text: starts at a name (or an opening parenthesis), ends with a balanced `)`. */
function looksLikeCall(text: string): boolean {
  if (!/^[\p{L}\p{Nl}_(]/u.test(text) || !text.endsWith(')')) return false;
  let depth = 0;
  for (const ch of text) {
    if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

const key = (line: number, rule: string) => `${line}:${rule}`;

interface Suite {
  label: string;
  root: string;
  files: string[];
  analyze(path: string, text: string): AnalysisResult;
  /** The findings the file must produce. */
  marks(file: string, text: string): Mark[];
  /** Python findings cover a call; TS ones may cover a callback or a condition. */
  rangeIsCall: boolean;
}

const suites: Suite[] = [
  {
    label: 'python fixture',
    root: pythonFixtureRoot,
    files: listPythonFixtures(),
    analyze: (path, text) => analyzePython(text, { path }),
    marks: (_file, text) => expectMarks(text),
    rangeIsCall: true,
  },
  {
    label: 'example',
    root: examplesRoot,
    files: listExamples(),
    analyze: (path, text) => analyzer.analyze({ path, text }),
    marks: (file) => exampleMarks(file),
    rangeIsCall: false,
  },
];

for (const { label, root, files, analyze, marks, rangeIsCall } of suites) for (const file of files) {
  test(`${label} ${file}`, () => {
    const path = join(root, file);
    const text = readFileSync(path, 'utf8');
    const lines = splitLines(text);
    const expected = new Map(marks(file, text).map((m) => [key(m.line, m.rule), m]));
    const { findings, notes } = analyze(path, text);

    const actual = new Map<string, Finding>();
    const problems: { line: number; text: string }[] = [];
    const show = (label: string, line: number, rule: string, detail = lines[line]?.trim() ?? '') =>
      problems.push({ line, text: `  ${label.padEnd(10)} line ${String(line + 1).padStart(3)}  ${rule.padEnd(19)}  ${detail}` });

    for (const f of findings) {
      const k = key(f.range.start.line, f.rule);
      if (actual.has(k)) show('duplicate', f.range.start.line, f.rule);
      actual.set(k, f);
    }
    for (const [k, m] of expected) if (!actual.has(k)) show('missing', m.line, m.rule);
    for (const [k, f] of actual) {
      if (!expected.has(k)) show('unexpected', f.range.start.line, f.rule);
      else if (rangeIsCall || file.endsWith('.py')) {
        const covered = rangeText(lines, f.range);
        if (!looksLikeCall(covered)) {
          show('bad range', f.range.start.line, f.rule, `covers ${JSON.stringify(covered)}, not the call`);
        }
      }
    }
    if (problems.length) {
      const listing = problems.sort((a, b) => a.line - b.line).map((p) => p.text).join('\n');
      const noteText = notes.length ? `\n  engine notes: ${notes.join(' | ')}` : '';
      assert.fail(`${file}: findings differ from the expected ones\n${listing}${noteText}`);
    }
  });
}

test('the example notebooks get exactly the findings test/example-findings.json lists, in their cells', () => {
  const notebooks = listFiles(examplesRoot, ['.ipynb'], ['scratch', '.ipynb_checkpoints']);
  assert.deepEqual(notebooks, ['notebooks/asyncio-basics.ipynb']);
  for (const file of notebooks) {
    const path = join(examplesRoot, file);
    const text = readFileSync(path, 'utf8');
    const cells = (JSON.parse(text).cells as { source: string | string[] }[]).map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source));
    const found = analyzer.analyze({ path, text }).findings.map((f) => {
      const line = splitLines(cells[f.cell!])[f.range.start.line];
      return { file, cell: f.cell! + 1, line: f.range.start.line + 1, rule: f.rule, code: line.slice(f.range.start.character, f.range.end.line === f.range.start.line ? f.range.end.character : undefined) };
    });
    assert.deepEqual(found, exampleFindings().filter((f) => f.file === file));
    for (const source of cells) assert.deepEqual(expectMarks(source), [], `${file} carries no test marks`);
  }
});

test('the example project: each listed finding names a real file and starts at its code', () => {
  const files = new Set(listExamples());
  for (const f of exampleFindings()) {
    if (f.cell !== undefined) continue; // notebooks: the test above
    assert.ok(files.has(f.file), `${f.file} is an example file`);
    const lines = splitLines(readFileSync(join(examplesRoot, f.file), 'utf8'));
    const range = analyzer.analyze({ path: join(examplesRoot, f.file), text: lines.join('\n') }).findings.find(
      (x) => x.rule === f.rule && x.range.start.line === f.line - 1,
    )?.range;
    assert.ok(range, `${f.file}:${f.line} ${f.rule} is found`);
    assert.ok(rangeText(lines, range).startsWith(f.code), `${f.file}:${f.line}: the finding starts at ${JSON.stringify(f.code)}`);
  }
});

test('the example sources carry no test marks', () => {
  for (const file of listExamples()) {
    assert.deepEqual(expectMarks(readFileSync(join(examplesRoot, file), 'utf8')), [], file);
  }
});
