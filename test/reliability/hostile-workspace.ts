// A workspace built to trip a file walker and a file reader: symlink loops, a dangling link, a
// FIFO and a folder named like source files, a file over 50 MB, files that are not UTF-8 text,
// and (when the tests do not run as root, who can read anything) a file nobody may read.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeTree } from './workspace';

export const SEED = 'import asyncio\n\nasync def nested():\n    return 42\n\nasync def main():\n    nested()\n    print(await nested())\n';

/** 50 MB and a little more: above the CLI's limit (and far above the language server's). */
export const BIG_BYTES = 50 * 1024 * 1024 + 4096;

export const asRoot = process.getuid?.() === 0;

export function makeHostileWorkspace(root: string): void {
  writeTree(root, {
    'good.py': SEED,
    'pkg/inner.py': SEED.replace('nested()\n    print', 'asyncio.create_task(nested())\n    print'),
    'latin1.py': Buffer.concat([Buffer.from('# -*- coding: latin-1 -*-\nx = "caf'), Buffer.from([0xe9, 0x22, 0x0a])]),
    'utf16.py': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('x = 1\n', 'utf16le')]),
    'binary.py': Buffer.from([0x78, 0x00, 0x79, 0x0a]),
    'locked.py': SEED,
  });
  // a big file of real statements, so that reading it whole would cost
  const line = Buffer.from('value = [1, 2, 3]  # filler\n');
  const big = Buffer.alloc(BIG_BYTES, line);
  writeFileSync(join(root, 'big.py'), big);
  symlinkSync('.', join(root, 'pkg', 'loop'));
  symlinkSync('..', join(root, 'pkg', 'up'));
  symlinkSync('missing-target.py', join(root, 'dangling.py'));
  mkdirSync(join(root, 'folder.py'));
  execFileSync('mkfifo', [join(root, 'fifo.py')]);
  chmodSync(join(root, 'locked.py'), 0o000);
}
