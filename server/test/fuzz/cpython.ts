// CPython's verdict on many texts at once, through `compile()` rather than `ast.parse()`: a fix
// must not only parse but also compile (`await` outside an async function is a SyntaxError that
// only the compiler raises). One interpreter start per batch.
import { execFileSync } from 'node:child_process';
import { pythonExecutable } from '../helpers/python';

const SCRIPT = [
  'import json, sys, warnings',
  'warnings.simplefilter("ignore")',
  'out = []',
  'for t in json.load(sys.stdin):',
  '    try:',
  '        compile(t, "<fuzz>", "exec", dont_inherit=True)',
  '        out.append(None)',
  '    except Exception as e:',
  '        line = getattr(e, "lineno", None)',
  '        out.append(f"{type(e).__name__}: {getattr(e, \'msg\', None) or e}" + (f" (line {line})" if line else ""))',
  'print(json.dumps(out))',
].join('\n');

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** What CPython reads from a file with a UTF-8 BOM is the text after it. */
function asPythonReadsIt(text: string): string {
  return text.startsWith('\ufeff') ? text.slice(1) : text;
}

/** For each text: undefined when CPython compiles it, else the error. */
export function cpythonCompileErrors(texts: readonly string[]): Array<string | undefined> {
  const results: Array<string | undefined> = [];
  const BATCH = 2000;
  for (let i = 0; i < texts.length; i += BATCH) {
    const chunk = texts.slice(i, i + BATCH).map(asPythonReadsIt);
    // Lone surrogates cannot travel as UTF-8: CPython would reject such text anyway.
    const encodable = chunk.map((t) => (LONE_SURROGATE.test(t) ? undefined : t));
    const out = execFileSync(pythonExecutable(), ['-c', SCRIPT], {
      input: JSON.stringify(encodable.map((t) => t ?? '\0')),
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    const verdicts = JSON.parse(out) as Array<string | null>;
    verdicts.forEach((v, j) => results.push(encodable[j] === undefined ? 'not encodable as UTF-8' : (v ?? undefined)));
  }
  return results;
}
