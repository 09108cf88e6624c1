// CPython for tests: found once (a `python3` shim can cost seconds per start), and a batch
// syntax check so that many fixed texts cost one interpreter start.
import { execFileSync } from 'node:child_process';

let executable: string | undefined;

export function pythonExecutable(): string {
  executable ??= execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
  return executable;
}

/** CPython's own verdict on each text: undefined when it parses, else the SyntaxError message. */
export function cpythonSyntaxErrors(texts: readonly string[]): Array<string | undefined> {
  return cpythonVerdicts(texts, 'ast.parse(t)');
}

/**
 * Like cpythonSyntaxErrors, but compiled to bytecode: also refuses what only the compiler checks,
 * such as `await` or `async with` outside an async function.
 */
export function cpythonCompileErrors(texts: readonly string[]): Array<string | undefined> {
  return cpythonVerdicts(texts, 'compile(t, "<text>", "exec")');
}

function cpythonVerdicts(texts: readonly string[], check: string): Array<string | undefined> {
  const script = [
    'import ast, json, sys',
    'out = []',
    'for t in json.load(sys.stdin):',
    '    try:',
    `        ${check}`,
    '        out.append(None)',
    '    except SyntaxError as e:',
    '        out.append(f"{e.msg} (line {e.lineno})")',
    'print(json.dumps(out))',
  ].join('\n');
  const out = execFileSync(pythonExecutable(), ['-c', script], { input: JSON.stringify(texts), encoding: 'utf8', maxBuffer: 1 << 28 });
  return (JSON.parse(out) as Array<string | null>).map((e) => e ?? undefined);
}
