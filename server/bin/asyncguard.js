#!/usr/bin/env node
// The `asyncguard` command: the bundled CLI (built by scripts/build.mjs into server/out/cli.js).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const bundle = join(__dirname, '..', 'out', 'cli.js');
if (!existsSync(bundle)) {
  process.stderr.write('asyncguard: error: the CLI is not built yet; run `npm run build` in the repository first\n');
  process.exit(2);
}
require(bundle);
