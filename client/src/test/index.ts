// Entry point of the extension-host test suite: VS Code (desktop through @vscode/test-electron, or
// code-server through its smoke-test driver) loads this module and awaits `run()`.
// With ASYNCGUARD_TEST_REPORT set, mocha writes a JSON report there, because console output from
// the extension host does not reach the caller in a readable form.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export async function run(): Promise<void> {
  // Loaded at run time from the repository's node_modules; the suite is never packaged.
  const mochaModule = require('mocha');
  const Mocha = mochaModule.default ?? mochaModule;
  const report = process.env.ASYNCGUARD_TEST_REPORT;
  const mocha = new Mocha({
    ui: 'tdd',
    timeout: 60_000,
    color: false,
    reporter: report ? 'json' : 'spec',
    reporterOption: report ? { output: report } : undefined,
    grep: process.env.ASYNCGUARD_TEST_GREP || undefined,
  });
  for (const file of readdirSync(__dirname).sort()) {
    if (file.endsWith('.test.js')) mocha.addFile(join(__dirname, file));
  }
  await mocha.loadFilesAsync();
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} extension-host test(s) failed`);
}
