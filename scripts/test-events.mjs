// A node:test reporter for scripts/test.mjs: writes one JSON line per finished test or suite (its
// file, name, and whether it failed, was skipped or is a todo, with the reason), so the runner can
// count what did not run and say why. Node's own summary counts no test of a skipped suite.
import { relative } from 'node:path';
export default async function* testEvents(source) {
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { name, file, skip, todo, nesting, details } = event.data;
    yield JSON.stringify({
      file,
      name,
      nesting,
      suite: details?.type === 'suite',
      failed: event.type === 'test:fail',
      skip: skip === undefined ? undefined : skip === true ? '' : String(skip),
      todo: todo === undefined ? undefined : todo === true ? '' : String(todo),
    }) + '\n';
  }
}

/** What ran and what did not: every skipped test (or whole suite) with its file and reason. */
export function summary(jsonLines, root = process.cwd()) {
  const results = jsonLines.split('\n').filter(Boolean).map((line) => JSON.parse(line));
  const tests = results.filter((r) => !r.suite);
  const skipped = results.filter((r) => r.skip !== undefined);
  const count = (pick) => tests.filter(pick).length;
  const lines = [
    '',
    `AsyncGuard tests: ${count((t) => !t.failed && t.skip === undefined && t.todo === undefined)} passed, ` +
      `${count((t) => t.failed && t.todo === undefined)} failed, ${skipped.length} skipped, ${count((t) => t.todo !== undefined)} todo`,
  ];
  for (const s of skipped) {
    const what = `${s.file ? relative(root, s.file) : '?'}: ${s.suite ? `the suite "${s.name}" (all its tests)` : `"${s.name}"`}`;
    lines.push(`  skipped ${what}: ${s.skip || 'no reason given'}`);
  }
  return lines.join('\n');
}
