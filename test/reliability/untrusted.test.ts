// In an untrusted workspace the language server starts no process: not the workspace's .venv
// interpreter, not the one its settings name, not anything else. Every child process call of the
// server is recorded (record-processes.cjs). The same workspace, trusted, does run the interpreter
// the settings name — which shows the recording would see it.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { URI } from 'vscode-uri';
import { TestClient } from '../protocol/lspClient';
import { ensureBuilt, tempDir, writeTree } from './workspace';

const APP = 'import thirdparty_client\n\nasync def nested():\n    return 1\n\nasync def main():\n    nested()\n    thirdparty_client.connect()\n';

interface Recorded {
  call: string;
  command: string;
  args: string[];
}

function workspace(): { root: string; marker: (name: string) => string; settingPython: string } {
  const root = tempDir();
  const marker = (name: string) => join(root, 'markers', name);
  // interpreters that leave a mark when run, then behave like python3
  const fake = (name: string) => `#!/bin/sh\nmkdir -p "${join(root, 'markers')}"\necho "$@" > "${marker(name)}"\nexec python3 "$@"\n`;
  writeTree(root, {
    'pyproject.toml': '[project]\nname = "app"\n',
    'app.py': APP,
    '.venv/bin/python': fake('venv-python'),
    'tools/python': fake('setting-python'),
  });
  chmodSync(join(root, '.venv/bin/python'), 0o755);
  chmodSync(join(root, 'tools/python'), 0o755);
  return { root, marker, settingPython: join(root, 'tools/python') };
}

async function exercise(trusted: boolean) {
  const ws = workspace();
  const log = join(ws.root, 'processes.jsonl');
  process.env.ASYNCGUARD_PROCESS_LOG = log;
  const { client } = await TestClient.start({
    rootPath: ws.root,
    initializationOptions: { trusted },
    settings: { interpreterPath: ws.settingPython },
    nodeArgs: ['--require', join(__dirname, 'record-processes.cjs')],
  });
  delete process.env.ASYNCGUARD_PROCESS_LOG;
  try {
    const uri = URI.file(join(ws.root, 'app.py')).toString();
    await client.open(uri, APP, 1);
    const diagnostics = await client.diagnosticsFor(uri, 1);
    const position = { line: 6, character: 5 };
    await client.request('textDocument/hover', { textDocument: { uri }, position });
    await client.request('textDocument/codeAction', { textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics } });
    await client.request('workspace/executeCommand', { command: 'asyncguard.analyzeWorkspace' });
    const status = await client.request('asyncguard/status');
    const processes: Recorded[] = existsSync(log)
      ? readFileSync(log, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l))
      : [];
    return { ws, client, diagnostics, status, processes };
  } finally {
    await client.dispose();
  }
}

describe('untrusted workspace', () => {
  before(ensureBuilt);
  after(() => delete process.env.ASYNCGUARD_PROCESS_LOG);

  it('starts no process, ignores the interpreter setting (and says so), and still reports findings', async () => {
    const { ws, client, diagnostics, status, processes } = await exercise(false);
    assert.equal(status.trusted, false);
    assert.deepEqual(processes, []);
    assert.equal(existsSync(ws.marker('venv-python')), false, 'the .venv interpreter did not run');
    assert.equal(existsSync(ws.marker('setting-python')), false, 'the interpreter of the settings did not run');
    assert.ok(client.logs.some((m) => m.includes(`Ignoring asyncguard.interpreterPath "${ws.settingPython}": the workspace is not trusted.`)), client.logs.join('\n'));
    assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line]), [['unawaited-coroutine', 6]]);
  });

  it('trusted, the same workspace runs the interpreter its settings name (the recording sees it)', async () => {
    const { ws, status, processes } = await exercise(true);
    assert.equal(status.trusted, true);
    assert.ok(existsSync(ws.marker('setting-python')), 'the interpreter of the settings ran');
    assert.ok(processes.some((p) => p.command === ws.settingPython), JSON.stringify(processes));
  });
});
