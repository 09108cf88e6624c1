// Real Python, broken the ways half-typed or odd files are: windows of real files with characters
// deleted, inserted, replaced by random code units, lines duplicated or re-indented, truncated;
// plus extremes — very deep nesting, huge lines, thousands of statements.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { pythonExecutable } from '../helpers/python';

const repo = join(__dirname, '..', '..', '..');

function pythonFilesUnder(dir: string, limit = Infinity): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (out.length >= limit) return;
      const p = join(d, name);
      if (name.endsWith('.py')) out.push(p);
      else if (!name.includes('.') && statSync(p, { throwIfNoEntry: false })?.isDirectory()) visit(p);
    }
  };
  visit(dir);
  return out;
}

let seeds: string[] | undefined;

/** The repository's Python fixtures and examples, and the interpreter's own asyncio package. */
export function realPythonTexts(): string[] {
  if (seeds) return seeds;
  const stdlib = execFileSync(pythonExecutable(), ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'], { encoding: 'utf8' }).trim();
  const files = [
    ...pythonFilesUnder(join(repo, 'server', 'test', 'fixtures', 'python')),
    ...pythonFilesUnder(join(repo, 'examples')),
    ...pythonFilesUnder(join(stdlib, 'asyncio')),
  ];
  seeds = files.map((f) => readFileSync(f, 'utf8'));
  return seeds;
}

/** A run of 3 to 60 lines from one of the real files, mostly starting at a top-level definition. */
function windowOf(texts: readonly string[]): fc.Arbitrary<string> {
  const split = texts.map((t) => {
    const lines = t.split('\n');
    const definitions = lines.flatMap((l, i) => (/^(async def |def |class |@|(export )?(async )?function )/.test(l) ? [i] : []));
    return { lines, definitions };
  });
  return fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 3, max: 60 }), fc.boolean()).map(([f, at, length, anywhere]) => {
    const { lines, definitions } = split[f % split.length];
    const first = anywhere || !definitions.length ? at % lines.length : definitions[at % definitions.length];
    return lines.slice(first, first + length).join('\n');
  });
}

const significant = fc.constantFrom(
  ...'()[]{}:;,.=\'"#\\@*\n\r\t '.split(''),
  'await ',
  'async ',
  'def ',
  'lambda: ',
  'yield ',
  'not ',
  ' if ',
  'else:',
  'create_task(',
  'nested()',
  '"""',
  'f"{',
  '  # asyncguard: ignore[',
);

const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const oddCharacter = fc.constantFrom('\0', '\f', '\v', '\x1a', '\u2028', '\u00a0', '\ufeff', '\ud83d', '\ude00', '😀', 'é', '\u200b');

type Mutation = (text: string) => string;

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map((at): Mutation => (t) => t.slice(0, at % (t.length + 1))),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 20 })).map(([at, n]): Mutation => (t) => {
    const i = at % (t.length + 1);
    return t.slice(0, i) + t.slice(i + n);
  }),
  fc.tuple(fc.nat(), fc.array(significant, { minLength: 1, maxLength: 4 })).map(([at, parts]): Mutation => (t) => {
    const i = at % (t.length + 1);
    return t.slice(0, i) + parts.join('') + t.slice(i);
  }),
  fc.tuple(fc.nat(), fc.array(fc.oneof(anyCodeUnit, oddCharacter), { minLength: 1, maxLength: 6 })).map(([at, units]): Mutation => (t) => {
    const i = at % (t.length + 1);
    return t.slice(0, i) + units.join('') + t.slice(i + units.length);
  }),
  fc.nat().map((at): Mutation => (t) => {
    const lines = t.split('\n');
    const i = at % lines.length;
    lines.splice(i, 0, lines[i]);
    return lines.join('\n');
  }),
  fc.tuple(fc.nat(), fc.constantFrom(' ', '\t', '', '        ')).map(([at, prefix]): Mutation => (t) => {
    const lines = t.split('\n');
    const i = at % lines.length;
    lines[i] = prefix + lines[i].replace(/^[ \t]/, '');
    return lines.join('\n');
  }),
  fc.constantFrom<Mutation>(
    (t) => t.replace(/\n/g, '\r\n'),
    (t) => t.replace(/\n/g, '\r'),
    (t) => '\ufeff' + t,
    (t) => t.replace(/ {4}/g, '\t'),
  ),
);

/** A window of a real file (of any language) with one to four mutations. */
export function mutatedWindows(texts: readonly string[]): fc.Arbitrary<string> {
  return fc.tuple(windowOf(texts), fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([text, ms]) => ms.reduce((t, m) => m(t), text));
}

/** A window of a real Python file with one to four mutations. */
export const mutatedRealPython = mutatedWindows;

/** A whole real file with one to four mutations. */
export function mutatedWholeFile(texts: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 }))
    .map(([f, ms]) => ms.reduce((t, m) => m(t), texts[f % texts.length]));
}

const HEADER = 'import asyncio\n\nasync def nested():\n    return 1\n\nasync def main():\n';

/**
 * Deep nesting (up to `maxDepth` levels), huge lines and long files, around a call the rules flag.
 * CPython itself refuses more than 200 nested brackets and 100 indentation levels; half-typed and
 * generated files do not care.
 */
export function extremePython(maxDepth: number): fc.Arbitrary<string> {
  const depth = fc.integer({ min: 10, max: maxDepth });
  return fc.oneof(
    fc.tuple(depth, fc.constantFrom('(', '[', 'f(', 'not ', 'await ', 'lambda: ', 'x + ', '-', '{1: ')).map(
      ([n, open]) => {
        const close = open === '(' || open === 'f(' ? ')' : open === '[' ? ']' : open === '{1: ' ? '}' : '';
        return `${HEADER}    ${open.repeat(n)}nested()${close.repeat(n)}\n`;
      },
    ),
    fc.tuple(depth, fc.constantFrom('(', '[', '{', 'f(', 'if x:')).map(([n, open]) => `${HEADER}    ${open.repeat(n)}\n    nested()\n`),
    fc.integer({ min: 10, max: Math.min(150, maxDepth) }).map((n) => {
      let out = HEADER;
      for (let i = 1; i <= n; i++) out += `${'  '.repeat(i)}if x${i}:\n`;
      return `${out}${'  '.repeat(n + 1)}nested()\n`;
    }),
    fc.integer({ min: 10, max: Math.min(150, maxDepth) }).map((n) => {
      let out = 'import asyncio\n';
      for (let i = 0; i < n; i++) out += `${' '.repeat(i)}async def f${i}():\n`;
      return `${out}${' '.repeat(n)}asyncio.create_task(f0())\n`;
    }),
    depth.map((n) => `${HEADER}    nested${'.attr'.repeat(n)}()\n    nested()${'.x()'.repeat(n)}\n`),
    fc.tuple(fc.integer({ min: 1_000, max: 1_000_000 }), fc.constantFrom('string', 'args', 'comment', 'suppression', 'statements')).map(([n, kind]) => {
      switch (kind) {
        case 'string':
          return `${HEADER}    x = "${'a'.repeat(n)}"; nested()\n`;
        case 'args':
          return `${HEADER}    nested(${'1, '.repeat(n / 4)})\n`;
        case 'comment':
          return `${HEADER}    nested()  # ${'é'.repeat(n)}\n`;
        case 'suppression':
          return `${HEADER}    nested()  # asyncguard: ignore[${'dangling-task, '.repeat(n / 16)}unawaited-coroutine]\n`;
        default:
          // thousands of statements on one line (the time grows with the square of their number)
          return `${HEADER}    ${'nested(); '.repeat(n / 200)}\n`;
      }
    }),
    fc.integer({ min: 100, max: 3000 }).map((n) => HEADER + '    nested()\n    asyncio.create_task(nested())\n'.repeat(n / 2)),
  );
}
