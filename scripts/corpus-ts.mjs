// `npm run corpus:ts`: AsyncGuard's TypeScript engine against typescript-eslint (no-floating-promises
// and no-misused-promises, with type information) on the same real code: four npm packages that
// ship their TypeScript sources (src/; two of them large: an API client of 414 files and an IDE
// framework's core of 553) and one plain-JavaScript package. Installs everything into
// .tools/corpus-ts (gitignored), runs each tool in its own process (time, peak memory), compares
// findings by file, line and rule, and writes corpus/REPORT-ts.md with a verdict for every
// disagreement and a strict verdict on a seeded random sample of each tool's findings (the
// verdicts below were written by reading the code). `npm run corpus:ts -- --report-only` writes the
// report again from the last run's results (after adding verdicts); `-- --asyncguard-only` runs
// AsyncGuard again and keeps typescript-eslint's last results (after a change to the engine).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const scratch = join(root, '.tools', 'corpus-ts');
const engineBundle = join(scratch, 'asyncguard-ts.cjs');

/** Pinned so the report can be reproduced; typescript matches the engine's (typescript@6). */
const PACKAGES = {
  typescript: '6.0.3',
  eslint: '9.39.5',
  'typescript-eslint': '8.73.0',
  '@typescript-eslint/parser': '8.73.0',
  '@types/node': '20.19.43',
  '@supabase/auth-js': '2.109.0',
  '@supabase/realtime-js': '2.109.0',
  axios: '1.21.1',
  '@anthropic-ai/sdk': '1.16.0',
  '@theia/core': '1.75.0',
};

const TS_OPTIONS = {
  target: 'ES2022',
  module: 'ESNext',
  moduleResolution: 'bundler',
  lib: ['ES2022', 'DOM', 'DOM.Iterable'],
  strict: true,
  skipLibCheck: true,
  noEmit: true,
  types: ['node'],
};

/** name -> where its sources are in node_modules, and the compiler options it is checked with. */
const PROJECTS = [
  { name: 'auth-js', pkg: '@supabase/auth-js', dir: 'src', options: TS_OPTIONS },
  { name: 'realtime-js', pkg: '@supabase/realtime-js', dir: 'src', options: TS_OPTIONS },
  { name: 'axios', pkg: 'axios', dir: 'lib', options: { ...TS_OPTIONS, allowJs: true, checkJs: false } },
  // The two larger ones: an API client of 414 files (the speed comparison of `npm run bench`) and
  // an IDE framework's core of 553 files, both written around promises.
  { name: 'anthropic-sdk', pkg: '@anthropic-ai/sdk', dir: 'src', options: { ...TS_OPTIONS, lib: ['ES2022', 'DOM', 'DOM.Iterable'] } },
  {
    name: 'theia-core',
    pkg: '@theia/core',
    dir: 'src',
    options: { ...TS_OPTIONS, jsx: 'react', experimentalDecorators: true, emitDecoratorMetadata: true },
  },
];

const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

/**
 * Verdicts on every disagreement, keyed `project/file:line rule`, written after reading the code.
 * `ours` = AsyncGuard is right, `theirs` = typescript-eslint is right.
 */
const VERDICTS = {
  'auth-js/src/GoTrueClient.ts:2848 floating-promise':
    'AsyncGuard is right (false alarm of typescript-eslint): `this.pendingInLock.splice(0, waitOn.length)` removes promises that `await Promise.all(waitOn)` awaited on the line before; the statement empties the queue and creates no promise. AsyncGuard does not report removals from an array (`splice`, `shift`, `pop`).',
  'auth-js/src/lib/locks.ts:368 misused-promise':
    'AsyncGuard is right (false alarm of typescript-eslint): `[previousOperationHandled, timeoutPromise].filter((x) => x)` drops a `null` timeout before `Promise.race`; the predicate returns `Promise | null` on purpose, a null test. AsyncGuard reports a predicate only when it always returns a thenable (an async predicate).',
  'auth-js/src/GoTrueClient.ts:5128 misused-promise':
    'AsyncGuard is right (false alarm of typescript-eslint): `removeEventListener` never calls `callback`, it only compares it with the registered listeners, so no promise is dropped here. The registration (line 5454) is reported by both.',
  'anthropic-sdk/src/tools/agent-toolset/node.ts:601 misused-promise':
    'AsyncGuard is right (false alarm of typescript-eslint): `Promise.prototype.finally` waits for the promise its callback returns and rejects with its reason, so the async callback given to `rest.written.finally(...)` is not dropped; the chain ends in `.catch(() => {})`.',
  'theia-core/src/browser/common-frontend-contribution.ts:510 floating-promise':
    'AsyncGuard is right: `writeText` returns `MaybePromise<void>` (`void | PromiseLike<void>`), which typescript-eslint does not check by default (checkThenables). This is Cut: the selection is deleted on the next line whether or not the clipboard write succeeded, and a failed write (permission denied) rejects unhandled, so the text is lost.',
  'theia-core/src/browser/common-frontend-contribution.ts:530 floating-promise':
    'AsyncGuard is right: the same `MaybePromise` from `writeText` (Copy); a failed clipboard write rejects unhandled.',
  'theia-core/src/browser/saveable-service.ts:131 floating-promise':
    'AsyncGuard is right: `Saveable.save` returns `MaybePromise<void>` (a `PromiseLike` typescript-eslint skips); an auto-save on focus change that fails rejects unhandled and the user is never told.',
  'theia-core/src/browser/saveable-service.ts:165 floating-promise': 'AsyncGuard is right: the same unhandled `MaybePromise` of an auto-save.',
  'theia-core/src/browser/saveable-service.ts:185 floating-promise': 'AsyncGuard is right: the same unhandled `MaybePromise` of an auto-save.',
  'theia-core/src/browser/saveable-service.ts:204 floating-promise': 'AsyncGuard is right: the same unhandled `MaybePromise` of an auto-save.',
  'theia-core/src/browser/shell/application-shell.ts:607 floating-promise':
    'AsyncGuard is right, a real bug: `opener.open(fileUri)` (`MaybePromise`) is not awaited inside `try`, so the `catch` that logs "no opener found" never sees its rejection, which goes unhandled.',
  'theia-core/src/browser/shell/application-shell.ts:1708 floating-promise':
    'AsyncGuard is right: `saveable?.save()` (`MaybePromise`) in a loop over the tabs: a failing save rejects unhandled and the method returns before anything is saved.',
  'theia-core/src/node/messaging/websocket-endpoint.ts:65 misused-promise':
    'AsyncGuard is right: an async `connection` listener given to socket.io\'s `on`, which ignores what it returns; if `allowConnect` or `handleConnection` rejects, the rejection is unhandled (in Node, the process ends). typescript-eslint does not see a void-returning parameter in socket.io\'s generic listener type.',
  'theia-core/src/browser/markdown-rendering/markdown-link-handler.ts:80 misused-promise':
    'AsyncGuard is right (false alarm of typescript-eslint): `removeEventListener` never calls `handleClick`.',
  'anthropic-sdk/src/internal/shims.ts:91 misused-promise':
    'AsyncGuard is right (false alarm of typescript-eslint): the async FinalizationRegistry callback is one `try` whose `catch` is empty, so it cannot reject and ignoring its promise loses nothing (misused-promise.md: an async callback that cannot reject).',
};

/** What reading the code says about the findings both tools report. */
const AGREED = {
  'auth-js/src/GoTrueClient.ts:502 misused-promise': 'true: an async `message` listener; a rejection inside it is unhandled.',
  'auth-js/src/GoTrueClient.ts:660 misused-promise': 'true: async `setTimeout` callback; `_notifyAllSubscribers` can reject unhandled.',
  'auth-js/src/GoTrueClient.ts:4209 misused-promise':
    'true to the declared types: `Subscription.callback` is typed `=> void` while the callback may return a promise; the callers do `await x.callback(...)`, so the fix is the type, not the code.',
  'auth-js/src/GoTrueClient.ts:4220 floating-promise': 'true: an async IIFE nobody holds; a failing `_emitInitialSession` rejects unhandled.',
  'auth-js/src/GoTrueClient.ts:4226 floating-promise':
    'true, a real bug: inside the lock callback `this._emitInitialSession(id)` is not awaited, so the lock is released before the session is emitted (the other branch awaits it).',
  'auth-js/src/GoTrueClient.ts:5144 misused-promise': 'true: `setInterval(() => this._autoRefreshTokenTick())` drops the tick\'s promise.',
  'auth-js/src/GoTrueClient.ts:5166 misused-promise': 'true: async `setTimeout` callback.',
  'auth-js/src/GoTrueClient.ts:5439 floating-promise': 'true: `startAutoRefresh()` (async) not awaited inside an async method.',
  'auth-js/src/GoTrueClient.ts:5454 misused-promise':
    'true: async `visibilitychange` listener; its body catches its own errors today, so nothing is lost yet.',
  'auth-js/src/GoTrueClient.ts:5475 floating-promise': 'true: `_startAutoRefresh()` not awaited in an async method.',
  'auth-js/src/GoTrueClient.ts:5507 floating-promise': 'true: `_stopAutoRefresh()` not awaited in an async method.',
  'auth-js/src/lib/helpers.ts:234 floating-promise':
    'true by the rule (an async IIFE nobody holds, inside a Promise executor); its body catches and calls `reject`, so today no rejection escapes.',
  'realtime-js/src/RealtimeChannel.ts:407 misused-promise': 'true: async callback to `receive(...)`, which expects a void one.',
  'realtime-js/src/RealtimeChannel.ts:410 floating-promise': 'true: `this.socket.setAuth()` is async and not awaited.',
  'realtime-js/src/RealtimeChannel.ts:458 floating-promise': 'true: `this.unsubscribe()` returns a promise nobody handles.',
  'realtime-js/src/RealtimeClient.ts:595 floating-promise': 'true: `disconnect()` is async; its rejection is unhandled.',
  'realtime-js/src/RealtimeClient.ts:602 floating-promise': 'true: same, in a timer callback.',
  'realtime-js/src/RealtimeClient.ts:750 floating-promise': 'true: same, in the worker\'s `onerror`.',
  'realtime-js/src/RealtimeClient.ts:754 floating-promise': 'true: `sendHeartbeat()` is async and not awaited in `onmessage`.',
  'axios/src/cancel/CancelToken.js:27 floating-promise':
    'true by the rule: `this.promise.then(...)` without a rejection handler; this promise only ever resolves, so it is harmless here.',
};

/**
 * The strict reading of every finding only one tool reports and of a random sample (seed below) of
 * the findings both report, per project: would a maintainer act on it? Yes only when a rejection can really go unhandled (the promise can reject
 * and nothing handles it) or ordering really breaks (later code needs the work done). Keyed like the
 * verdicts above; `[act, why]`.
 */
const STRICT = {
  // auth-js
  'auth-js/src/GoTrueClient.ts:502 misused-promise': [true, 'An async `message` listener of a BroadcastChannel: a failing `_notifyAllSubscribers` rejects unhandled.'],
  'auth-js/src/GoTrueClient.ts:4209 misused-promise': [false, 'The declared type `=> void` is wrong, not the code: every caller awaits `x.callback(...)`, so no rejection is lost.'],
  'auth-js/src/GoTrueClient.ts:4220 floating-promise': [true, 'An async IIFE in a lock callback: a failing `_emitInitialSession` rejects unhandled.'],
  'auth-js/src/GoTrueClient.ts:4226 floating-promise': [true, 'A real bug: not awaited inside the lock, so the lock is released before the session is emitted (the other branch awaits it).'],
  'auth-js/src/GoTrueClient.ts:5166 misused-promise': [true, 'An async `setTimeout` callback that refreshes the session: its failure rejects unhandled.'],
  'auth-js/src/GoTrueClient.ts:5439 floating-promise': [true, '`startAutoRefresh()` is async and not awaited in an async method: a failure rejects unhandled and callers believe it started.'],
  'auth-js/src/GoTrueClient.ts:5475 floating-promise': [true, '`_startAutoRefresh()` not awaited in an async method: same as above.'],
  'auth-js/src/GoTrueClient.ts:5507 floating-promise': [true, '`_stopAutoRefresh()` not awaited: the method returns before the ticker is stopped.'],
  'auth-js/src/lib/helpers.ts:234 floating-promise': [false, 'An async IIFE inside a Promise executor whose body catches everything and calls `reject`: no rejection escapes.'],
  'auth-js/src/lib/locks.ts:368 misused-promise': [false, '`.filter((x) => x)` over `Promise | null` values is a null test, not a promise used as a boolean.'],
  // realtime-js
  'realtime-js/src/RealtimeChannel.ts:407 misused-promise': [true, 'An async callback to `receive(...)`, which ignores its result: a failing `setAuth` inside rejects unhandled.'],
  'realtime-js/src/RealtimeChannel.ts:410 floating-promise': [true, '`this.socket.setAuth()` is async (it fetches a token) and not awaited: its failure is unhandled.'],
  'realtime-js/src/RealtimeChannel.ts:458 floating-promise': [true, '`this.unsubscribe()` returns a promise nobody handles; a failing unsubscribe is silent.'],
  'realtime-js/src/RealtimeClient.ts:595 floating-promise': [true, '`disconnect()` is async; the reconnect logic continues before it finished and its failure is unhandled.'],
  'realtime-js/src/RealtimeClient.ts:602 floating-promise': [true, 'The same `disconnect()` in a timer callback.'],
  'realtime-js/src/RealtimeClient.ts:750 floating-promise': [true, 'The same `disconnect()` in the worker\'s `onerror`.'],
  'realtime-js/src/RealtimeClient.ts:754 floating-promise': [true, '`sendHeartbeat()` is async and not awaited in `onmessage`: a failed heartbeat rejects unhandled.'],
  // axios
  'axios/src/cancel/CancelToken.js:27 floating-promise': [false, '`this.promise` only ever resolves (its executor never rejects), so the missing rejection handler loses nothing.'],
  // anthropic-sdk
  'anthropic-sdk/src/lib/BetaMessageStream.ts:501 floating-promise': [false, '`Promise.reject(error)` on purpose: with no listener and no catching promise, the SDK wants the abort to surface as an unhandled rejection.'],
  'anthropic-sdk/src/lib/BetaMessageStream.ts:520 floating-promise': [false, 'The same deliberate `Promise.reject(error)` for an error event nobody listens to.'],
  'anthropic-sdk/src/lib/MessageStream.ts:472 floating-promise': [false, 'The same deliberate `Promise.reject(error)`.'],
  'anthropic-sdk/src/lib/MessageStream.ts:491 floating-promise': [false, 'The same deliberate `Promise.reject(error)`.'],
  'anthropic-sdk/src/internal/shims.ts:91 misused-promise': [false, 'The async FinalizationRegistry callback is one `try` with an empty `catch`: it cannot reject.'],
  'anthropic-sdk/src/tools/agent-toolset/node.ts:601 misused-promise': [false, '`.finally` waits for the promise of its async callback; the chain ends in `.catch(() => {})`.'],
  'anthropic-sdk/src/tools/agent-toolset/node.ts:679 misused-promise': [true, '`shell.kill` returns `#savedOutput.remove()` (a file removal that can fail); as an `abort` listener its rejection is unhandled.'],
  // theia-core
  'theia-core/src/browser/authentication-service.ts:273 misused-promise': [true, '`forEach(async provider => ...)` with no `await` inside: the `async` only turns an exception of `hasSessions()` into an unhandled rejection; dropping `async` is the fix.'],
  'theia-core/src/browser/browser-clipboard-service.ts:71 floating-promise': [false, '`messageService.warn(...)` resolves when the user dismisses the message; it does not reject, and nothing waits for it.'],
  'theia-core/src/browser/common-frontend-contribution.ts:197 floating-promise': [false, '`app.shell.initialized.then(...)`: a deferred that only resolves; no rejection to lose.'],
  'theia-core/src/browser/common-frontend-contribution.ts:510 floating-promise': [true, 'Cut: the selection is deleted right after an unawaited clipboard write; a failed write loses the text and rejects unhandled.'],
  'theia-core/src/browser/common-frontend-contribution.ts:979 floating-promise': [true, 'Inside `async save()`, `saveResourceService.save(...)` is not awaited: callers of `save()` continue before the save and never see its failure.'],
  'theia-core/src/browser/secondary-window-handler.ts:192 floating-promise': [false, 'A `logger.error(...)` call: Theia\'s logger returns a promise that does not reject; logging is fire-and-forget by design.'],
  'theia-core/src/browser/shell/application-shell.ts:553 floating-promise': [false, '`collapse()` of an empty side panel in an animation frame: nothing depends on it and it does not fail.'],
  'theia-core/src/browser/shell/application-shell.ts:625 floating-promise': [false, '`openUri` is an async arrow whose whole body is a `try` that logs in its `catch`: it does not reject (AsyncGuard reports it at information level for that reason).'],
  'theia-core/src/browser/shell/shell-layout-restorer.ts:382 floating-promise': [false, 'A `logger.info(...)` call (fire-and-forget logging).'],
  'theia-core/src/browser/shell/shell-layout-restorer.ts:485 floating-promise': [false, 'A `logger.warn(...)` call (fire-and-forget logging).'],
  'theia-core/src/browser/shell/side-panel-handler.ts:659 floating-promise': [false, '`revealTab` scrolls a tab into view on the next animation frame; nothing waits for it.'],
  'theia-core/src/browser/shell/tab-bar-toolbar/tab-bar-toolbar-menu-adapters.tsx:181 floating-promise': [true, 'A toolbar click runs a menu command without handling its promise: a failing command rejects unhandled and the user sees nothing.'],
  'theia-core/src/common/encoding-service.ts:262 floating-promise': [false, '`target.write(...)` returns a promise only for back-pressure; writes stay in order and do not reject here.'],
  'theia-core/src/common/preferences/preference-schema-service.ts:224 floating-promise': [false, 'A `logger.warn(...)` call (fire-and-forget logging).'],
  'theia-core/src/electron-browser/window/window-zoom-status-bar-item.ts:57 floating-promise': [false, '`statusBar.removeElement(...)` updates the UI later; nothing depends on it.'],
  'theia-core/src/node/env-variables/env-variables-server.ts:42 floating-promise': [false, 'A `.then` that only logs the config directory; the same promise is returned to and awaited by every caller.'],
  'theia-core/src/node/logger-cli-contribution.ts:170 floating-promise': [true, 'In `async dispose()`, file-watcher `unsubscribe()` calls are not awaited: dispose resolves before the watchers are closed and their failures are unhandled.'],
  'auth-js/src/GoTrueClient.ts:660 misused-promise': [true, 'An async `setTimeout` callback that notifies subscribers: a failing subscriber rejects unhandled.'],
  'auth-js/src/GoTrueClient.ts:5144 misused-promise': [true, '`setInterval(() => this._autoRefreshTokenTick())` drops the tick\'s promise on every tick.'],
  'auth-js/src/GoTrueClient.ts:5454 misused-promise': [false, 'The listener is an async arrow whose whole body is a `try` that only logs in its `catch`: nothing is lost.'],
  'auth-js/src/GoTrueClient.ts:2848 floating-promise': [false, '`splice` empties a queue of promises awaited on the line before; nothing floats.'],
  'auth-js/src/GoTrueClient.ts:5128 misused-promise': [false, '`removeEventListener` never calls the handler.'],
  'theia-core/src/common/messaging/proxy-factory.spec.ts:57 floating-promise': [false, 'A test that calls `done()` in `.then`: a rejection fails the test by timeout either way.'],
  'theia-core/src/browser/tree/tree-expansion.spec.ts:95 floating-promise': [false, 'The same test pattern with `done()`.'],
  'theia-core/src/browser/shell/side-panel-handler.ts:183 misused-promise': [false, 'A signal handler that collapses a side panel: a UI animation nothing waits for, which does not fail.'],
  'theia-core/src/browser/widget-manager.ts:311 floating-promise': [false, 'A `logger.error(...)` call (fire-and-forget logging).'],
  'theia-core/src/browser/shell/application-shell.ts:1600 floating-promise': [false, 'Sets a panel size and then a UI state flag; it does not reject.'],
  'theia-core/src/common/encoding-service.ts:285 floating-promise': [false, 'The same back-pressure-only `target.write(...)` as line 262.'],
  'theia-core/src/browser/menu/browser-menu-plugin.ts:449 floating-promise': [false, 'Adds the logo widget to the top panel; nothing depends on it and it does not fail.'],
  'theia-core/src/browser/icon-theme-service.ts:131 floating-promise': [false, 'A `logger.warn(...)` call (fire-and-forget logging).'],
  'theia-core/src/browser/authentication-service.ts:415 floating-promise': [false, 'Remembers the preferred account in local storage; it does not reject in practice and nothing reads it right after.'],
  'theia-core/src/browser/common-frontend-contribution.ts:530 floating-promise': [true, 'Copy: an unawaited clipboard write (`MaybePromise`) that rejects unhandled when the browser denies access.'],
  'theia-core/src/browser/saveable-service.ts:131 floating-promise': [true, 'An auto-save (`MaybePromise`) whose failure rejects unhandled: the user is never told the file was not saved.'],
  'theia-core/src/browser/saveable-service.ts:165 floating-promise': [true, 'The same unhandled auto-save.'],
  'theia-core/src/browser/saveable-service.ts:185 floating-promise': [true, 'The same unhandled auto-save.'],
  'theia-core/src/browser/saveable-service.ts:204 floating-promise': [true, 'The same unhandled auto-save.'],
  'theia-core/src/browser/shell/application-shell.ts:607 floating-promise': [true, 'A real bug: not awaited inside `try`, so the `catch` never sees the opener\'s failure.'],
  'theia-core/src/browser/shell/application-shell.ts:1708 floating-promise': [true, 'Saves every tab without awaiting: failures reject unhandled and the method returns before anything is saved.'],
  'theia-core/src/node/messaging/websocket-endpoint.ts:65 misused-promise': [true, 'An async socket.io `connection` listener: a rejection of `allowConnect`/`handleConnection` is unhandled in Node.'],
  'theia-core/src/browser/markdown-rendering/markdown-link-handler.ts:80 misused-promise': [false, '`removeEventListener` never calls the handler.'],
};
const SAMPLE_SEED = 17;
const SAMPLE_SIZE = 12;

/** A seeded shuffle (mulberry32), so the sample is the same on every run over the same findings. */
function sample(list, seed, size) {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, size);
}

// ------------------------------------------------------------------------------------ set-up

function install() {
  mkdirSync(scratch, { recursive: true });
  const manifest = join(scratch, 'package.json');
  const wanted = JSON.stringify({ name: 'asyncguard-corpus-ts', private: true, dependencies: PACKAGES }, null, 2);
  const have = existsSync(manifest) ? readFileSync(manifest, 'utf8') : '';
  const installed = Object.keys(PACKAGES).every((p) => existsSync(join(scratch, 'node_modules', p, 'package.json')));
  if (have !== wanted || !installed) {
    writeFileSync(manifest, wanted);
    console.log('corpus:ts: installing the corpus and typescript-eslint into .tools/corpus-ts ...');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock'], { cwd: scratch, stdio: 'inherit' });
  }
}

function listSources(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listSources(p));
    else if (SOURCE.test(name) && !/\.d\.[cm]?ts$/.test(name)) out.push(p);
  }
  return out.sort();
}

/** Copies a package's sources into projects/NAME/src with a tsconfig, as its authors would check them. */
function prepareProject(project) {
  const dir = join(scratch, 'projects', project.name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(join(scratch, 'node_modules', project.pkg, project.dir), join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: project.options, include: ['src'] }, null, 2));
  return { ...project, root: dir, files: listSources(join(dir, 'src')) };
}

async function bundleEngine() {
  const { build } = await import('esbuild');
  await build({
    entryPoints: [join(root, 'server', 'src', 'engine', 'ts', 'index.ts')],
    outfile: engineBundle,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['typescript'],
    logLevel: 'warning',
  });
}

// ------------------------------------------------------------------------------------ the two tools (child processes)

async function runAsyncGuard(projectRoot) {
  const { TypeScriptEngine } = createRequire(import.meta.url)(engineBundle);
  const files = listSources(join(projectRoot, 'src'));
  const started = performance.now();
  // as `asyncguard check` runs it: one program for the whole tsconfig
  const engine = new TypeScriptEngine({ wholePrograms: true });
  const findings = [];
  for (const file of files) {
    const result = engine.analyze(file, readFileSync(file, 'utf8'), 1);
    for (const f of result.findings) findings.push({ file: relative(projectRoot, file), line: f.range.start.line + 1, rule: f.rule, severity: f.severity, message: f.message });
  }
  const ms = performance.now() - started;
  const stats = engine.stats();
  return { ms, findings, stats };
}

async function runEslint(projectRoot) {
  const req = createRequire(join(scratch, 'package.json'));
  const { ESLint } = req('eslint');
  const tseslint = req('typescript-eslint');
  const started = performance.now();
  const eslint = new ESLint({
    cwd: projectRoot,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'],
        languageOptions: {
          parser: tseslint.parser,
          parserOptions: { project: join(projectRoot, 'tsconfig.json'), tsconfigRootDir: projectRoot },
        },
        plugins: { '@typescript-eslint': tseslint.plugin },
        linterOptions: { reportUnusedDisableDirectives: 'off' },
        rules: {
          '@typescript-eslint/no-floating-promises': 'error',
          '@typescript-eslint/no-misused-promises': 'error',
        },
      },
    ],
  });
  const results = await eslint.lintFiles(['src']);
  const ms = performance.now() - started;
  const RULES = { '@typescript-eslint/no-floating-promises': 'floating-promise', '@typescript-eslint/no-misused-promises': 'misused-promise' };
  const findings = [];
  const errors = [];
  for (const r of results) {
    for (const m of r.messages) {
      if (RULES[m.ruleId]) findings.push({ file: relative(projectRoot, r.filePath), line: m.line, rule: RULES[m.ruleId], message: m.message });
      else if (m.fatal) errors.push(`${relative(projectRoot, r.filePath)}:${m.line} ${m.message}`);
    }
  }
  return { ms, findings, errors };
}

/** Runs one tool on one project in a fresh process, so time and peak memory are its own. */
function measure(tool, projectRoot) {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', tool, projectRoot], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (child.status !== 0) throw new Error(`${tool} on ${projectRoot} failed:\n${child.stderr}`);
  return JSON.parse(child.stdout.slice(child.stdout.indexOf('{')));
}

async function child(tool, projectRoot) {
  const result = tool === 'asyncguard' ? await runAsyncGuard(projectRoot) : await runEslint(projectRoot);
  // maxRSS is in KiB: the process's peak resident memory, runtime and compiler included.
  const usage = process.resourceUsage();
  const out = {
    ...result,
    cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
    peakRssMiB: Math.round(usage.maxRSS / 1024),
    heapUsedMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
  };
  process.stdout.write(JSON.stringify(out));
}

/** What the engine costs on a small project: memory before and after analysing every file. */
async function childExample(projectRoot) {
  const { TypeScriptEngine } = createRequire(import.meta.url)(engineBundle);
  loadCompiler();
  global.gc?.();
  const base = process.memoryUsage();
  const engine = new TypeScriptEngine();
  const files = listSources(projectRoot).filter((f) => !f.includes('node_modules'));
  const started = performance.now();
  let findings = 0;
  for (const file of files) findings += engine.analyze(file, readFileSync(file, 'utf8'), 1).findings.length;
  const firstMs = performance.now() - started;
  const editStarted = performance.now();
  if (files.length) engine.analyze(files[0], `${readFileSync(files[0], 'utf8')}\n// edit\n`, 2);
  const editMs = performance.now() - editStarted;
  const usage = process.resourceUsage();
  global.gc?.();
  const held = process.memoryUsage();
  engine.dispose();
  global.gc?.();
  const released = process.memoryUsage();
  process.stdout.write(
    JSON.stringify({
      files: files.length,
      findings,
      firstMs,
      editMs,
      heldHeapMiB: (held.heapUsed - base.heapUsed) / 2 ** 20,
      heldRssMiB: (held.rss - base.rss) / 2 ** 20,
      afterDisposeHeapMiB: (released.heapUsed - base.heapUsed) / 2 ** 20,
      peakRssMiB: Math.round(usage.maxRSS / 1024),
      cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
    }),
  );
}

function loadCompiler() {
  // The compiler itself (~40 MB) is loaded before the baseline: it is the same in any TS tool.
  createRequire(join(scratch, 'package.json'))('typescript');
}

// ------------------------------------------------------------------------------------ report

function key(project, f) {
  return `${project}/${f.file}:${f.line} ${f.rule}`;
}

function snippet(projectRoot, file, line) {
  const text = readFileSync(join(projectRoot, file), 'utf8').split(/\r?\n/)[line - 1] ?? '';
  return text.trim().slice(0, 110).replace(/\|/g, '\\|').replace(/`/g, "'");
}

function fmtMs(ms) {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/** Both tools' results of the last run, so `--report-only` can write the report again (after adding verdicts). */
const resultsFile = join(scratch, 'results.json');

async function main(mode) {
  const reportOnly = mode === '--report-only';
  const oursOnly = mode === '--asyncguard-only';
  const previous = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : undefined;
  if ((reportOnly || oursOnly) && !previous) throw new Error('corpus:ts: no results yet: run `npm run corpus:ts` first');
  const saved = reportOnly ? previous : undefined;
  if (!saved) {
    install();
    await bundleEngine();
  }
  const projects = saved || oursOnly
    ? PROJECTS.map((p) => ({ ...p, root: join(scratch, 'projects', p.name), files: listSources(join(scratch, 'projects', p.name, 'src')) }))
    : PROJECTS.map(prepareProject);
  const rows = [];
  const disagreements = [];
  const lines = [];
  const results = saved ?? (oursOnly ? previous : {});
  for (const p of projects) {
    if (!saved) {
      console.log(`corpus:ts: ${p.name} (${p.files.length} files): AsyncGuard ...`);
      const ours = measure('asyncguard', p.root);
      if (!oursOnly) console.log(`corpus:ts: ${p.name}: typescript-eslint ...`);
      results[p.name] = { ours, theirs: oursOnly ? previous[p.name].theirs : measure('eslint', p.root) };
      writeFileSync(resultsFile, JSON.stringify(results));
    }
    const { ours, theirs } = results[p.name];
    const oursKeys = new Set(ours.findings.map((f) => key(p.name, f)));
    const theirKeys = new Set(theirs.findings.map((f) => key(p.name, f)));
    const both = [...oursKeys].filter((k) => theirKeys.has(k)).length;
    const count = (list, rule) => list.filter((f) => f.rule === rule).length;
    const loc = p.files.reduce((n, f) => n + readFileSync(f, 'utf8').split('\n').length, 0);
    rows.push({ p, ours, theirs, both, loc, count });
    for (const f of ours.findings) if (!theirKeys.has(key(p.name, f))) disagreements.push({ p, f, who: 'AsyncGuard only' });
    for (const f of theirs.findings) if (!oursKeys.has(key(p.name, f))) disagreements.push({ p, f, who: 'typescript-eslint only' });
    if (theirs.errors.length) lines.push(`- ${p.name}: typescript-eslint could not parse ${theirs.errors.length} file(s): ${theirs.errors.slice(0, 3).join('; ')}`);
  }
  const example = join(root, 'examples', 'web');
  if (!saved && !oursOnly && existsSync(example)) results.example = JSON.parse(measureExample(example));
  writeFileSync(resultsFile, JSON.stringify(results));
  const exampleRun = results.example;

  const md = [];
  md.push('# AsyncGuard vs typescript-eslint on real TypeScript and JavaScript');
  md.push('');
  md.push('Generated by `npm run corpus:ts` (scripts/corpus-ts.mjs). Both tools read the same files with the same');
  md.push('compiler options (typescript 6.0.3); typescript-eslint runs `no-floating-promises` and `no-misused-promises`');
  md.push('with their default options and full type information. Findings are compared by file, line and rule.');
  md.push('Each tool runs in its own Node process: wall time covers the whole project including program');
  md.push('creation; CPU is the whole process\'s (loading Node and the compiler included; it is the steadier');
  md.push('figure on a busy machine); peak memory is the process\'s maximum resident set. A package\'s');
  md.push('source folder is copied to `projects/NAME/src` with a tsconfig.json, so paths below start with `src/`.');
  md.push(`Machine: ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)} when the report was written (other work was running: wall times are inflated, CPU times much less).`);
  md.push('');
  md.push('| project | files | lines | AsyncGuard floating / misused | typescript-eslint floating / misused | same | AsyncGuard only | typescript-eslint only | AsyncGuard wall / CPU / peak RSS | typescript-eslint wall / CPU / peak RSS |');
  md.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const onlyOurs = disagreements.filter((d) => d.p === r.p && d.who === 'AsyncGuard only').length;
    const onlyTheirs = disagreements.filter((d) => d.p === r.p && d.who !== 'AsyncGuard only').length;
    md.push(
      `| ${r.p.pkg}@${PACKAGES[r.p.pkg]} \`${r.p.dir}/\` | ${r.p.files.length} | ${r.loc} | ${r.count(r.ours.findings, 'floating-promise')} / ${r.count(r.ours.findings, 'misused-promise')} | ${r.count(r.theirs.findings, 'floating-promise')} / ${r.count(r.theirs.findings, 'misused-promise')} | ${r.both} | ${onlyOurs} | ${onlyTheirs} | ${fmtMs(r.ours.ms)} / ${fmtMs(r.ours.cpuMs)} / ${r.ours.peakRssMiB} MiB | ${fmtMs(r.theirs.ms)} / ${fmtMs(r.theirs.cpuMs)} / ${r.theirs.peakRssMiB} MiB |`,
    );
  }
  md.push('');
  md.push(...lines);
  md.push('## Disagreements');
  md.push('');
  if (disagreements.length === 0) {
    md.push('None: both tools report exactly the same findings.');
  } else {
    md.push('| where | rule | reported by | code | verdict |');
    md.push('|---|---|---|---|---|');
    for (const d of disagreements) {
      const k = key(d.p.name, d.f);
      const verdict = VERDICTS[k] ?? '**no verdict yet**';
      md.push(`| \`${d.p.name}/${d.f.file}:${d.f.line}\` | ${d.f.rule} | ${d.who} | \`${snippet(d.p.root, d.f.file, d.f.line)}\` | ${verdict} |`);
    }
  }
  md.push('');
  md.push('## Agreements');
  md.push('');
  md.push('The findings both tools report that were read (every one in the three small projects; in the two large');
  md.push('ones, those of the strict sample below), with what reading the code says:');
  md.push('');
  for (const r of rows) {
    const theirKeys = new Set(r.theirs.findings.map((f) => key(r.p.name, f)));
    let unread = 0;
    for (const f of r.ours.findings.filter((f) => theirKeys.has(key(r.p.name, f)))) {
      const k = key(r.p.name, f);
      const note = AGREED[k] ?? (STRICT[k] ? `${STRICT[k][0] ? 'acted on' : 'not acted on'}: ${STRICT[k][1]}` : undefined);
      if (!note) {
        unread++;
        continue;
      }
      md.push(`- \`${r.p.name}/${f.file}:${f.line}\` ${f.rule}${f.severity === 'information' ? ' (information)' : ''}: \`${snippet(r.p.root, f.file, f.line)}\` — ${note}`);
    }
    if (unread) md.push(`- ${r.p.name}: ${unread} more shared finding(s) not read one by one.`);
  }
  md.push('');
  md.push('## Strict reading: the share of findings a maintainer would act on');
  md.push('');
  md.push('Each finding read in its code and judged strictly: would a maintainer act on it? Yes only when the promise can');
  md.push('really reject with nothing handling it, or the code after it really needs the work done (ordering). The findings');
  md.push('only one tool reports are all judged (they are few); of the findings both report, a random sample of up to');
  md.push(`${SAMPLE_SIZE} per project (seeded shuffle, seed ${SAMPLE_SEED}, of the shared findings sorted by file, line and rule) is judged, and`);
  md.push('its share stands for all the shared findings of that project. A tool\'s share is then (shared findings × the');
  md.push('sample\'s share + its own findings acted on) / all its findings. AsyncGuard findings at information level (a');
  md.push('callee or callback that can only reject if its catch block throws) count as findings like the others.');
  md.push('');
  md.push('| project | shared: sampled / acted on | AsyncGuard only: acted on / all | typescript-eslint only: acted on / all | AsyncGuard share | typescript-eslint share |');
  md.push('|---|---:|---:|---:|---:|---:|');
  const totals = { ours: [0, 0], theirs: [0, 0] };
  const judged = [];
  const unjudged = [];
  const sorted = (list) => [...list].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.rule.localeCompare(b.rule));
  const verdictOf = (p, f) => {
    const k = key(p.name, f);
    const v = STRICT[k];
    if (!v) {
      if (!unjudged.some((u) => u.k === k)) unjudged.push({ k, p, f });
      return undefined;
    }
    if (!judged.some((j) => j.k === k)) judged.push({ k, p, f, v });
    return v[0];
  };
  const pct = (x) => `${Math.round(100 * x)}%`;
  for (const r of rows) {
    const theirKeys = new Set(r.theirs.findings.map((f) => key(r.p.name, f)));
    const oursKeys = new Set(r.ours.findings.map((f) => key(r.p.name, f)));
    const shared = r.ours.findings.filter((f) => theirKeys.has(key(r.p.name, f)));
    const picked = sample(sorted(shared), SAMPLE_SEED, SAMPLE_SIZE);
    const pickedVerdicts = picked.map((f) => verdictOf(r.p, f)).filter((v) => v !== undefined);
    const sharedShare = pickedVerdicts.length ? pickedVerdicts.filter(Boolean).length / pickedVerdicts.length : 0;
    const own = (list, otherKeys) => {
      const only = list.filter((f) => !otherKeys.has(key(r.p.name, f)));
      return { all: only.length, acted: only.filter((f) => verdictOf(r.p, f)).length };
    };
    const oursOnly = own(r.ours.findings, theirKeys);
    const theirsOnly = own(r.theirs.findings, oursKeys);
    const estimate = (total, only) => (total ? (shared.length * sharedShare + only.acted) / total : 0);
    const oursShare = estimate(r.ours.findings.length, oursOnly);
    const theirsShare = estimate(r.theirs.findings.length, theirsOnly);
    totals.ours[0] += r.ours.findings.length;
    totals.ours[1] += oursShare * r.ours.findings.length;
    totals.theirs[0] += r.theirs.findings.length;
    totals.theirs[1] += theirsShare * r.theirs.findings.length;
    md.push(`| ${r.p.name} | ${pickedVerdicts.length} of ${shared.length} / ${pickedVerdicts.filter(Boolean).length} | ${oursOnly.acted} / ${oursOnly.all} | ${theirsOnly.acted} / ${theirsOnly.all} | ${r.ours.findings.length ? pct(oursShare) : 'n/a'} of ${r.ours.findings.length} | ${r.theirs.findings.length ? pct(theirsShare) : 'n/a'} of ${r.theirs.findings.length} |`);
  }
  md.push(`| **all** | | | | **${pct(totals.ours[1] / totals.ours[0])}** (about ${Math.round(totals.ours[1])} of ${totals.ours[0]}) | **${pct(totals.theirs[1] / totals.theirs[0])}** (about ${Math.round(totals.theirs[1])} of ${totals.theirs[0]}) |`);
  md.push('');
  if (unjudged.length) md.push(`**${unjudged.length} finding(s) to judge have no strict verdict yet.**`, '');
  md.push('Every finding judged:', '');
  md.push('| where | rule | code | acted on? | why |');
  md.push('|---|---|---|---|---|');
  for (const j of judged.sort((a, b) => a.k.localeCompare(b.k))) {
    md.push(`| \`${j.p.name}/${j.f.file}:${j.f.line}\` | ${j.f.rule}${j.f.severity === 'information' ? ' (information)' : ''} | \`${snippet(j.p.root, j.f.file, j.f.line)}\` | ${j.v[0] ? 'yes' : 'no'} | ${j.v[1]} |`);
  }
  md.push('');
  if (unjudged.length) {
    console.log(`\ncorpus:ts: ${unjudged.length} finding(s) without a strict verdict:`);
    for (const u of unjudged) console.log(`  '${u.k}': [false, ''], // ${snippet(u.p.root, u.f.file, u.f.line)}`);
  }
  md.push('## Where AsyncGuard differs from typescript-eslint on purpose');
  md.push('');
  md.push('- **Every thenable is a promise for floating-promise.** typescript-eslint\'s `no-floating-promises` checks');
  md.push('  only the built-in `Promise` unless `checkThenables` is on (off by default). A dropped `PromiseLike`');
  md.push('  loses its rejection all the same, and a lazy thenable (a query builder) does not even run. The fixture');
  md.push('  `server/test/fixtures/ts/strict/differences-from-typescript-eslint.ts` shows the case. No file of this');
  md.push('  corpus drops a non-Promise thenable, so the difference does not show in the counts above.');
  md.push('- **Fixes that compile.** typescript-eslint suggests `await` even outside async functions; AsyncGuard');
  md.push('  offers `await` only inside an async function or at the top level of an ES module whose `module` and');
  md.push('  `target` allow top-level await, and otherwise prefers `.catch(...)` (logging through the file\'s own');
  md.push('  logger when it imports one), `void`, or making the function `async` (unsafe: callers get a promise).');
  md.push('- **Three false alarms avoided**, each found in this corpus (the disagreements above) and kept in the');
  md.push('  same fixture: removing promises from an array (`queue.splice(0, n)`, `shift()`, `pop()`) is not');
  md.push('  dropping them; a handler given to `removeEventListener`/`removeListener`/`off` is never called there;');
  md.push('  an array predicate returning `Promise | null` (`.filter((p) => p)`) is a null test, so a predicate is');
  md.push('  reported only when it always returns a thenable.');
  md.push('- **Interprocedural facts from the project\'s own sources**, each a written rule with fixtures on both');
  md.push('  sides (`server/test/fixtures/ts/strict/*.cannot-reject.ts`, `*.handled-callback.ts`): an async callback');
  md.push('  given to a `() => void` parameter that the callee (a function whose body is certain) awaits, returns or');
  md.push('  hands to `.catch`/`Promise.all` is not reported; a call of an async function, or an async callback, that');
  md.push('  cannot reject (its body is one `try` whose `catch` cannot throw) is not reported, and is reported at');
  md.push('  information level, saying why, when only a statement of its `catch` block could still throw. In this');
  md.push('  corpus they decide the FinalizationRegistry callback of the Anthropic SDK and put Theia\'s `openUri` at');
  md.push('  information level; most of Theia\'s calls go through exported, injectable classes whose methods a');
  md.push('  subclass can replace, so no fact about their bodies is certain there.');
  md.push('- **Timers**: an async callback given to `setTimeout`/`setInterval`/`setImmediate`/`queueMicrotask` is');
  md.push('  reported even where the DOM types the callback as `TimerHandler` (typescript-eslint reports it only');
  md.push('  where the types say `() => void`, as with @types/node).');
  md.push('- **Decided as noise, with a reason and fixtures** (`misused-promise.valid.noise.ts` and its invalid twin):');
  md.push('  a lazily initialised field tested for presence, a type assertion hiding `undefined` in a fallback');
  md.push('  (`(gen?.(f) as Promise<Id>) || digest(f)`), and a line under `@ts-expect-error`.');
  md.push('- What remains noisy, read strictly (the table above): in Theia most shared findings are calls of its');
  md.push('  logger and UI services, whose promises do not reject in practice; nothing in their types says so, and');
  md.push('  both tools report them.');
  md.push('- Everything else follows the documented defaults of both rules (`ignoreVoid`, no IIFE exemption,');
  md.push('  `checksConditionals`, `checksVoidReturn` with all of its parts, `checksSpreads`).');
  md.push('');
  md.push('## What the engine costs in the language server');
  md.push('');
  for (const r of rows) {
    const s = r.ours.stats.projects.map((x) => `${x.sourceFiles} source files (${x.openDocuments} kept open)`).join(', ');
    md.push(`- ${r.p.name}: after checking every file, the engine holds one program of ${s}; JS heap in use at the end ${r.ours.heapUsedMiB} MiB, peak RSS ${r.ours.peakRssMiB} MiB (Node and the compiler included).`);
  }
  if (exampleRun) {
    md.push(
      `- examples/web (${exampleRun.files} files, ${exampleRun.findings} findings): first analysis of all files ${fmtMs(exampleRun.firstMs)} (lib.d.ts files parsed once), re-check after an edit ${fmtMs(exampleRun.editMs)}, ${fmtMs(exampleRun.cpuMs)} CPU for the whole process; the engine holds ${exampleRun.heldHeapMiB.toFixed(1)} MiB of JS heap (${exampleRun.heldRssMiB.toFixed(1)} MiB RSS) beyond the loaded compiler, ${exampleRun.afterDisposeHeapMiB.toFixed(1)} MiB after \`dispose()\`; peak RSS of the process ${exampleRun.peakRssMiB} MiB.`,
    );
  }
  md.push('');
  md.push('How memory is bounded: a program\'s roots are only the documents analysed (at most 64 per project,');
  md.push('least recently used dropped) plus the project\'s declaration files, so one open file in a huge project');
  md.push('loads only its own import graph, not the whole tsconfig; at most 3 language services live at once');
  md.push('(least recently used disposed), and one idle for 10 minutes is disposed at the next analysis; all');
  md.push('services share one document registry, so lib.*.d.ts and shared dependencies are parsed once.');
  md.push('');
  md.push(...keptServerMemorySection());
  mkdirSync(join(root, 'corpus'), { recursive: true });
  writeFileSync(join(root, 'corpus', 'REPORT-ts.md'), md.join('\n'));
  console.log(md.slice(0, 12).join('\n'));
  const missing = disagreements.filter((d) => !VERDICTS[key(d.p.name, d.f)]);
  if (missing.length) {
    console.log(`\ncorpus:ts: ${missing.length} disagreement(s) without a verdict:`);
    for (const d of missing) console.log(`  '${key(d.p.name, d.f)}': '', // ${d.who}: ${snippet(d.p.root, d.f.file, d.f.line)}`);
  }
  console.log('\ncorpus:ts: wrote corpus/REPORT-ts.md');
}

/** The section test/protocol/ts-memory.ts measures and writes (it drives the language server): kept as it is. */
function keptServerMemorySection() {
  const report = join(root, 'corpus', 'REPORT-ts.md');
  const text = existsSync(report) ? readFileSync(report, 'utf8') : '';
  const start = text.indexOf("## The language server's memory with TypeScript files open");
  if (start < 0) return [];
  const next = text.indexOf('\n## ', start + 1);
  return [text.slice(start, next < 0 ? undefined : next).trimEnd(), ''];
}

function measureExample(dir) {
  const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', 'example', dir], { cwd: root, encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`example run failed:\n${child.stderr}`);
  return child.stdout.slice(child.stdout.indexOf('{'));
}

const args = process.argv.slice(2);
if (args[0] === '--child') {
  if (args[1] === 'example') await childExample(args[2]);
  else await child(args[1], args[2]);
} else {
  await main(args[0]);
}
