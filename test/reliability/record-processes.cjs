// Preloaded into a server or CLI process (`node --require`) by the reliability tests: records
// every child process it starts, one JSON line per call, in the file ASYNCGUARD_PROCESS_LOG names.
const childProcess = require('node:child_process');
const { appendFileSync } = require('node:fs');

const log = process.env.ASYNCGUARD_PROCESS_LOG;
if (log) {
  for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) {
    const original = childProcess[name];
    childProcess[name] = function recorded(command, ...rest) {
      const args = Array.isArray(rest[0]) ? rest[0] : [];
      appendFileSync(log, JSON.stringify({ call: name, command: String(command), args: args.map(String) }) + '\n');
      return original.call(this, command, ...rest);
    };
  }
}
