// The demo notebook (examples/notebooks/asyncio-basics.ipynb) run in a real Jupyter kernel: its
// mistakes do what its text and AsyncGuard's findings say (a coroutine never awaited, asyncio.run
// refused in the running loop), and after `check --fix --unsafe-fixes` it runs clean.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { ensureBuilt, makeTree, repoRoot, runBuilt } from '../cli/helpers';

const DEMO = join(repoRoot, 'examples', 'notebooks', 'asyncio-basics.ipynb');

/** Runs each code cell in a fresh ipykernel (jupyter_client's blocking client) and prints what each cell showed. */
const RUN_CELLS = `
import json, sys
from jupyter_client.manager import start_new_kernel
nb = json.load(open(sys.argv[1]))
km, kc = start_new_kernel(kernel_name="python3")
shown = {}
try:
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        out = []
        def hook(msg):
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream": out.append(content["text"])
            elif kind == "error": out.append("%s: %s\\n" % (content["ename"], content["evalue"]))
            elif kind == "execute_result": out.append(content["data"].get("text/plain", "") + "\\n")
        kc.execute_interactive(source, output_hook=hook, timeout=60)
        shown[i + 1] = "".join(out)
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
print(json.dumps(shown))
`;

/** A Python that has ipykernel (Debian's python3-ipykernel), or undefined. */
function kernelPython(): string | undefined {
  for (const python of ['python3', '/usr/bin/python3']) {
    if (spawnSync(python, ['-c', 'import ipykernel, jupyter_client'], { stdio: 'ignore' }).status === 0) return python;
  }
  return undefined;
}

function runCells(python: string, notebook: string): Record<string, string> {
  const r = spawnSync(python, ['-c', RUN_CELLS, notebook], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: '1' } });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}

const python = kernelPython();

describe('the demo notebook in a Jupyter kernel', { skip: python ? false : 'no Python with ipykernel and jupyter_client (Debian: python3-ipykernel)' }, () => {
  before(ensureBuilt);

  it('shows each mistake AsyncGuard reports: the coroutine never awaited, asyncio.run refused', () => {
    const shown = runCells(python!, DEMO);
    assert.match(shown[7], /^42\n[\s\S]*RuntimeWarning: coroutine 'nested' was never awaited/);
    assert.equal(shown[15], 'RuntimeError: asyncio.run() cannot be called from a running event loop\n');
    // the words in order either way (how long each took is the benchmarks' business, not a test's)
    assert.match(shown[12], /hello\n[\s\S]*world\nserial: \d+\.\d s\n$/);
    assert.match(shown[13], /hello\nworld\nconcurrent: \d+\.\d s\n$/);
  });

  it('after check --fix --unsafe-fixes it runs with no error and no coroutine left unawaited', () => {
    const dir = makeTree({});
    copyFileSync(DEMO, join(dir, 'asyncio-basics.ipynb'));
    assert.deepEqual(runBuilt(['check', '--no-cache', '--fix', '--unsafe-fixes'], dir), { code: 0, stdout: 'Found 3 problems (3 fixed, 0 remaining).\n', stderr: '' });
    const fixed = JSON.parse(readFileSync(join(dir, 'asyncio-basics.ipynb'), 'utf8'));
    assert.deepEqual(fixed.cells[6].source, ['await nested()\n', 'print(await nested())']);
    assert.deepEqual(fixed.cells[14].source, ['await nested()']);
    const shown = runCells(python!, join(dir, 'asyncio-basics.ipynb'));
    assert.equal(shown[7], '42\n');
    assert.equal(shown[15], '42\n');
    assert.doesNotMatch(Object.values(shown).join(''), /Error|never awaited/);
  });
});
