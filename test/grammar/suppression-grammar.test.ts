// The injection grammar highlights AsyncGuard suppression comments inside Python and TS/JS
// comments, and nowhere else. Tokenised with vscode-textmate + vscode-oniguruma, the engine VS Code
// uses, on top of the same Python/TypeScript/JavaScript grammars VS Code ships.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const root = join(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const contributed = manifest.contributes.grammars.find((g: { injectTo?: string[] }) => g.injectTo);
const INJECTION = contributed.scopeName as string;

const BASE_GRAMMARS: Record<string, string> = {
  'source.python': 'tm-grammars/grammars/python.json',
  'source.ts': 'tm-grammars/grammars/typescript.json',
  'source.tsx': 'tm-grammars/grammars/tsx.json',
  'source.js': 'tm-grammars/grammars/javascript.json',
  'source.js.jsx': 'tm-grammars/grammars/jsx.json',
};

let registry: textmate.Registry;

before(async () => {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => {
      const file =
        scopeName === INJECTION ? join(root, contributed.path) : BASE_GRAMMARS[scopeName] && require.resolve(BASE_GRAMMARS[scopeName]);
      if (!file) return null;
      return textmate.parseRawGrammar(readFileSync(file, 'utf8'), file);
    },
    getInjections: (scopeName) => (contributed.injectTo.includes(scopeName) ? [INJECTION] : undefined),
  });
});

interface Token {
  text: string;
  scopes: string[];
}

async function tokenize(scopeName: string, line: string): Promise<Token[]> {
  const grammar = await registry.loadGrammar(scopeName);
  assert.ok(grammar, `grammar ${scopeName}`);
  const { tokens } = grammar.tokenizeLine(line, textmate.INITIAL);
  return tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
}

/** Each token our grammar scoped, as `text => innermost asyncguard scope`. */
async function suppressionTokens(scopeName: string, line: string): Promise<string[]> {
  const tokens = await tokenize(scopeName, line);
  return tokens
    .map((t) => ({ text: t.text, scope: t.scopes.filter((s) => s.endsWith('.asyncguard')).at(-1) }))
    .filter((t) => t.scope && t.scope !== 'meta.suppression.asyncguard')
    .map((t) => `${t.text} => ${t.scope}`);
}

describe('suppression comment grammar', () => {
  test('is contributed for Python, TypeScript, JavaScript and their React variants', () => {
    assert.deepEqual([...contributed.injectTo].sort(), Object.keys(BASE_GRAMMARS).sort());
  });

  test('Python: rule list in brackets', async () => {
    assert.deepEqual(await suppressionTokens('source.python', '    nested()  # asyncguard: ignore[unawaited-coroutine, dangling-task]'), [
      'asyncguard => keyword.control.directive.suppression.asyncguard',
      ': => punctuation.separator.key-value.asyncguard',
      'ignore => keyword.control.directive.suppression.asyncguard',
      '[ => punctuation.definition.list.begin.asyncguard',
      'unawaited-coroutine => entity.name.type.rule-id.asyncguard',
      ', => punctuation.separator.comma.asyncguard',
      'dangling-task => entity.name.type.rule-id.asyncguard',
      '] => punctuation.definition.list.end.asyncguard',
    ]);
  });

  test('Python: bare ignore, after other tools’ suppressions', async () => {
    assert.deepEqual(await suppressionTokens('source.python', 'asyncio.create_task(job())  # noqa: RUF006  # asyncguard: ignore'), [
      'asyncguard => keyword.control.directive.suppression.asyncguard',
      ': => punctuation.separator.key-value.asyncguard',
      'ignore => keyword.control.directive.suppression.asyncguard',
    ]);
  });

  test('Python: the directive is a comment still', async () => {
    const tokens = await tokenize('source.python', 'x()  # asyncguard: ignore[dangling-task]');
    const rule = tokens.find((t) => t.text === 'dangling-task');
    assert.ok(rule?.scopes.includes('comment.line.number-sign.python'), JSON.stringify(rule));
  });

  test('Python: strings and prose that mention it are not highlighted', async () => {
    assert.deepEqual(await suppressionTokens('source.python', 'label = "asyncguard: ignore[dangling-task]"'), []);
    assert.deepEqual(await suppressionTokens('source.python', '# myasyncguard: ignore is not ours; neither is asyncguard-ish'), []);
    assert.deepEqual(await suppressionTokens('source.python', '# asyncguard: ignored later'), []);
  });

  test('TypeScript: ignore-next-line with a rule', async () => {
    assert.deepEqual(await suppressionTokens('source.ts', '  // asyncguard-ignore-next-line floating-promise'), [
      'asyncguard-ignore-next-line => keyword.control.directive.suppression.asyncguard',
      'floating-promise => entity.name.type.rule-id.asyncguard',
    ]);
  });

  test('TypeScript: ignore-next-line with several rules, and the bracket form', async () => {
    assert.deepEqual(await suppressionTokens('source.ts', '// asyncguard-ignore-next-line floating-promise, misused-promise'), [
      'asyncguard-ignore-next-line => keyword.control.directive.suppression.asyncguard',
      'floating-promise => entity.name.type.rule-id.asyncguard',
      ', => punctuation.separator.comma.asyncguard',
      'misused-promise => entity.name.type.rule-id.asyncguard',
    ]);
    assert.deepEqual(await suppressionTokens('source.ts', 'save(); // asyncguard: ignore[floating-promise]'), [
      'asyncguard => keyword.control.directive.suppression.asyncguard',
      ': => punctuation.separator.key-value.asyncguard',
      'ignore => keyword.control.directive.suppression.asyncguard',
      '[ => punctuation.definition.list.begin.asyncguard',
      'floating-promise => entity.name.type.rule-id.asyncguard',
      '] => punctuation.definition.list.end.asyncguard',
    ]);
  });

  test('JavaScript, JSX and TSX: bare ignore-next-line', async () => {
    for (const scope of ['source.js', 'source.js.jsx', 'source.tsx']) {
      assert.deepEqual(
        await suppressionTokens(scope, '// asyncguard-ignore-next-line'),
        ['asyncguard-ignore-next-line => keyword.control.directive.suppression.asyncguard'],
        scope,
      );
    }
  });

  test('TypeScript: not in strings, block comments or code', async () => {
    assert.deepEqual(await suppressionTokens('source.ts', 'const s = "// asyncguard-ignore-next-line floating-promise";'), []);
    assert.deepEqual(await suppressionTokens('source.ts', 'const asyncguard = { ignore: [1] };'), []);
    assert.deepEqual(await suppressionTokens('source.ts', '/* asyncguard-ignore-next-line */'), []);
  });
});
