// Preloaded into a measured Node process (NODE_OPTIONS=--require): on exit, appends the process's
// peak resident set size and CPU time (all threads) to the file named by ASYNCGUARD_BENCH_RSS_FILE.
'use strict';
const { appendFileSync } = require('node:fs');
const { isMainThread } = require('node:worker_threads');

const file = process.env.ASYNCGUARD_BENCH_RSS_FILE;
if (file && isMainThread) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    appendFileSync(file, `${JSON.stringify({ pid: process.pid, maxRssKiB: u.maxRSS, cpuUs: u.userCPUTime + u.systemCPUTime })}\n`);
  });
}
