// Runs the mocha suite client/src/test inside a real VS Code extension host: code-server with its
// smoke-test driver loads the extension from this repository (extensionDevelopmentPath) and the
// suite (extensionTestsPath), as @vscode/test-electron does on a desktop. Each mocha test becomes
// a test here, read from the JSON report the suite writes.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { artifacts, root, startSession, whyCannotRun, type Session } from './harness';

interface MochaTest {
  title: string;
  fullTitle: string;
  duration?: number;
  err: { message?: string; stack?: string };
}

interface MochaReport {
  stats: { tests: number; passes: number; failures: number };
  tests: MochaTest[];
  pending: MochaTest[];
}

const RUN_TIMEOUT_MS = 240_000;

describe('extension host (code-server)', { skip: whyCannotRun() }, () => {
  let session: Session;
  let report: MochaReport | undefined;
  let exitCode: number | undefined;
  const consoleLines: string[] = [];

  before(async () => {
    assert.ok(existsSync(join(root, 'client', 'out', 'test', 'index.js')), 'build first: node scripts/build.mjs');
    const reportFile = join(artifacts, 'extension-host-report.json');
    session = await startSession('extension-host', {
      smokeTestDriver: true,
      env: { ASYNCGUARD_TEST_REPORT: reportFile },
    });
    const page = await session.browser.newPage();
    page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
    const exited = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    const remote = `vscode-remote://127.0.0.1:${session.server.port}`;
    const payload = [
      ['extensionDevelopmentPath', `${remote}${root}`],
      ['extensionTestsPath', `${remote}${join(root, 'client', 'out', 'test', 'index.js')}`],
      ['skipWelcome', 'true'],
    ];
    const url = `${session.server.url}?folder=${encodeURIComponent(session.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 120_000 });
    exitCode = await Promise.race([
      exited,
      new Promise<number>((_, reject) =>
        setTimeout(() => reject(new Error(`the suite did not finish in ${RUN_TIMEOUT_MS} ms`)), RUN_TIMEOUT_MS),
      ),
    ]).finally(() => writeFileSync(join(artifacts, 'extension-host-console.log'), consoleLines.join('\n')));
    if (existsSync(reportFile)) report = JSON.parse(readFileSync(reportFile, 'utf8'));
  });

  after(async () => {
    await session?.close();
  });

  test('the suite ran and wrote its report', () => {
    assert.ok(
      report,
      `no report (exit code ${exitCode}); see test/artifacts/extension-host-console.log\n${consoleLines.slice(-30).join('\n')}`,
    );
    assert.ok(report.stats.tests > 0, 'the suite has tests');
  });

  test('every mocha test passed', async (t) => {
    assert.ok(report, 'no report');
    for (const m of report.tests) {
      const pending = report.pending.some((p) => p.fullTitle === m.fullTitle);
      await t.test(m.fullTitle, { skip: pending }, () => {
        if (m.err && m.err.message) {
          const error = new Error(m.err.message);
          error.stack = m.err.stack;
          throw error;
        }
      });
    }
    assert.equal(exitCode, report.stats.failures > 0 ? 1 : 0);
  });
});
