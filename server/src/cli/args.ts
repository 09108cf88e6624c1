// The command line: `asyncguard check [PATH...]`, `asyncguard rule RULE-ID | --all`.
import { parseArgs } from 'node:util';
import { DOC_LANGUAGES, languageOfLocale, type DocLanguage } from '../docs/pages';
import { isRuleId, RULE_IDS } from '../engine/rules';
import type { RuleId } from '../engine/types';

export const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type OutputFormat = (typeof FORMATS)[number];

export interface CheckOptions {
  paths: string[];
  format: OutputFormat;
  fix: boolean;
  unsafeFixes: boolean;
  diff: boolean;
  select?: RuleId[];
  ignore?: RuleId[];
  /** `--exclude`: globs in place of the configurations' `exclude` (relative to the working folder). */
  exclude?: string[];
  /** `--extend-exclude`: globs added to the configurations' excludes. */
  extendExclude?: string[];
  /** An explicit pyproject.toml instead of the one found upward from each path. */
  config?: string;
  /** Use no configuration file at all. */
  isolated: boolean;
  exitZero: boolean;
  /** The Python interpreter whose sys.path resolves third-party imports. */
  python?: string;
  /** Keep no summary cache on disk (.asyncguard_cache). */
  noCache: boolean;
  /** Analysis threads for plain checks; default: one per core. */
  threads?: number;
  /** Skip what .gitignore files ignore (default true, as ruff does). */
  respectGitignore: boolean;
  /** Tell on stderr where the time goes: the walk, the interpreter probe, the first file analysed. */
  verbose: boolean;
}

export type Command =
  | { kind: 'check'; options: CheckOptions }
  | { kind: 'rule'; name?: string; all: boolean; language: DocLanguage; format: 'text' | 'markdown' }
  | { kind: 'help'; text: string }
  | { kind: 'version' };

export class UsageError extends Error {}

export const MAIN_HELP = `AsyncGuard: finds the async mistakes that silently drop work.

Usage: asyncguard <command> [options]

Commands:
  check [PATH...]   Analyse files and folders (default: the current folder)
  rule RULE-ID      Show a rule's documentation (--all lists every rule, --lang zh-CN in Chinese)

Options:
  -h, --help        Show help (also: asyncguard <command> --help)
  -V, --version     Show the version
`;

export const CHECK_HELP = `Usage: asyncguard check [options] [PATH...]

Analyses Python files, Jupyter notebooks (.ipynb) and TypeScript/JavaScript files. Folders
are walked respecting .gitignore files and the exclude globs of [tool.asyncguard] in the
nearest pyproject.toml; a TS/JS file takes the nearest asyncguard.json or package.json
"asyncguard" key instead, if any. A finding in a notebook names its cell (counting every
cell from 1) and its line and column within the cell.

Options:
  --format FORMAT      text (default), json, sarif or github (workflow annotations)
  --fix                Apply safe fixes, re-analysing until nothing more changes
  --unsafe-fixes       With --fix or --diff, apply unsafe fixes too
  --diff               Print the changes --fix would make, without writing them
  --select RULES       Run only these rules (comma-separated; repeatable)
  --ignore RULES       Do not run these rules (comma-separated; repeatable)
  --exclude GLOBS      Leave out files and folders matching these globs, in place of the
                       configured and default exclude lists (comma-separated; repeatable)
  --extend-exclude GLOBS  Leave out these too, besides the configured excludes
                       (globs relative to the current folder; a name alone matches anywhere)
  --config FILE        Read the configuration from FILE (a pyproject.toml, asyncguard.json
                       or package.json) for every file, instead of the nearest one
  --isolated           Ignore every configuration file
  --exit-zero          Exit with 0 even when there are findings
  --python PATH        The Python interpreter whose sys.path resolves imports
                       (default: the project's .venv or venv, else python3)
  --threads N          Analyse on N threads (default: one per core; fixes use one)
  --no-respect-gitignore  Also check files that .gitignore files ignore
  --no-cache           Keep no cache on disk: neither .asyncguard_cache (module summaries,
                       and the findings of files unchanged since the last run; none is kept
                       when a path lies outside the working folder) nor the interpreter's
                       sys.path in the user's cache folder (the interpreter is asked again)
  -v, --verbose        Tell on stderr where the time goes: files found, the interpreter
                       probe (cached or asked), the first file analysed
  -h, --help           Show this help

Exit status: 0 no findings, 1 findings (or, with --diff, changes to make), 2 usage or internal error.
Rules: ${RULE_IDS.join(', ')}
`;

export const RULE_HELP = `Usage: asyncguard rule [options] RULE-ID
       asyncguard rule --all

Prints a rule's documentation (or another page of the docs, by its name), or lists every rule.

Options:
  --lang LANG          en or zh-CN (default: from LC_ALL, LC_MESSAGES or LANG; else en)
  --format FORMAT      text (default: for the terminal, in colour when it is one) or markdown
  --all                List every rule (id, language, default severity, summary) and concept page
  -h, --help           Show this help
`;

/** What the command line may read of the environment: the locale variables. */
export type Environment = Readonly<Record<string, string | undefined>>;

export function parseCommand(argv: readonly string[], environment: Environment = {}): Command {
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError('missing command');
  if (command === '-h' || command === '--help' || command === 'help') return { kind: 'help', text: MAIN_HELP };
  if (command === '-V' || command === '--version' || command === 'version') return { kind: 'version' };
  if (command === 'check') return parseCheck(rest);
  if (command === 'rule') return parseRule(rest, environment);
  if (command.startsWith('-')) throw new UsageError(`unknown option '${command}'`);
  throw new UsageError(`unknown command '${command}'`);
}

/** The locale as POSIX orders its variables: LC_ALL, then LC_MESSAGES, then LANG. */
export function localeOf(environment: Environment): string | undefined {
  return [environment.LC_ALL, environment.LC_MESSAGES, environment.LANG].find((v) => v !== undefined && v !== '');
}

function parseCheck(argv: string[]): Command {
  const { values, positionals } = parse(argv, {
    format: { type: 'string' },
    fix: { type: 'boolean' },
    'unsafe-fixes': { type: 'boolean' },
    diff: { type: 'boolean' },
    select: { type: 'string', multiple: true },
    ignore: { type: 'string', multiple: true },
    exclude: { type: 'string', multiple: true },
    'extend-exclude': { type: 'string', multiple: true },
    config: { type: 'string' },
    isolated: { type: 'boolean' },
    'exit-zero': { type: 'boolean' },
    python: { type: 'string' },
    'no-cache': { type: 'boolean' },
    'no-respect-gitignore': { type: 'boolean' },
    threads: { type: 'string' },
    verbose: { type: 'boolean', short: 'v' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return { kind: 'help', text: CHECK_HELP };
  const format = (values.format as string | undefined) ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`unknown format '${format}' (expected one of: ${FORMATS.join(', ')})`);
  }
  if (values.config !== undefined && values.isolated) throw new UsageError('--config and --isolated cannot be used together');
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
    throw new UsageError(`--threads expects a whole number of at least 1, not '${values.threads}'`);
  }
  return {
    kind: 'check',
    options: {
      paths: positionals.length ? positionals : ['.'],
      format: format as OutputFormat,
      fix: Boolean(values.fix),
      unsafeFixes: Boolean(values['unsafe-fixes']),
      diff: Boolean(values.diff),
      select: ruleList(values.select as string[] | undefined, '--select'),
      ignore: ruleList(values.ignore as string[] | undefined, '--ignore'),
      exclude: globList(values.exclude as string[] | undefined),
      extendExclude: globList(values['extend-exclude'] as string[] | undefined),
      config: values.config as string | undefined,
      isolated: Boolean(values.isolated),
      exitZero: Boolean(values['exit-zero']),
      python: values.python as string | undefined,
      noCache: Boolean(values['no-cache']),
      threads,
      respectGitignore: !values['no-respect-gitignore'],
      verbose: Boolean(values.verbose),
    },
  };
}

function parseRule(argv: string[], environment: Environment): Command {
  const { values, positionals } = parse(argv, {
    all: { type: 'boolean' },
    lang: { type: 'string' },
    format: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return { kind: 'help', text: RULE_HELP };
  const lang = values.lang as string | undefined;
  const language = DOC_LANGUAGES.find((l) => l.toLowerCase() === lang?.toLowerCase().replace('_', '-'));
  if (lang !== undefined && !language) throw new UsageError(`unknown language '${lang}' (expected one of: ${DOC_LANGUAGES.join(', ')})`);
  const format = (values.format as string | undefined) ?? 'text';
  if (format !== 'text' && format !== 'markdown') throw new UsageError(`unknown format '${format}' (expected one of: text, markdown)`);
  const common = { language: language ?? languageOfLocale(localeOf(environment)), format } as const;
  if (values.all) {
    if (positionals.length) throw new UsageError('give either a RULE-ID or --all, not both');
    return { kind: 'rule', all: true, ...common };
  }
  if (positionals.length !== 1) throw new UsageError('expected one RULE-ID (or --all)');
  return { kind: 'rule', name: positionals[0], all: false, ...common };
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;

function parse(argv: string[], options: OptionSpec) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    // node's messages are clear but long-winded about positionals; keep their first sentence
    throw new UsageError((e as Error).message.split('. ')[0].replace(/^Unknown option/, 'unknown option'));
  }
}

function globList(values: string[] | undefined): string[] | undefined {
  return values?.flatMap((v) => v.split(',')).map((s) => s.trim()).filter((s) => s);
}

function ruleList(values: string[] | undefined, flag: string): RuleId[] | undefined {
  if (!values) return undefined;
  const ids = values.flatMap((v) => v.split(',')).map((s) => s.trim()).filter((s) => s);
  for (const id of ids) {
    if (!isRuleId(id)) throw new UsageError(`unknown rule '${id}' in ${flag} (known rules: ${RULE_IDS.join(', ')})`);
  }
  return ids as RuleId[];
}
