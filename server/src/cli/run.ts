// Dispatches a command line to its command; returns the exit status. No process globals here, so
// tests run the whole CLI in-process with a fake engine.
import { parseCommand, UsageError } from './args';
import { runCheck, type CliEnv, EXIT_ERROR } from './check';
import { runRule } from './rule';

export async function runCli(argv: readonly string[], env: CliEnv): Promise<number> {
  let command;
  try {
    command = parseCommand(argv, env.environment ?? {});
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    env.stderr(`asyncguard: error: ${e.message}\nRun 'asyncguard --help' for usage.\n`);
    return EXIT_ERROR;
  }
  switch (command.kind) {
    case 'help':
      env.stdout(command.text);
      return 0;
    case 'version':
      env.stdout(`asyncguard ${env.version}\n`);
      return 0;
    case 'rule':
      return runRule(command, { stdout: env.stdout, stderr: env.stderr, color: env.stdoutIsTTY === true && !env.environment?.NO_COLOR });
    case 'check':
      return runCheck(command.options, env);
  }
}
