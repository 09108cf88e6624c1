// Node's test runner (`node:test`) registers a test or a suite with `test()`, `it()`,
// `describe()`, `suite()` and their `.skip`/`.todo`/`.only`: each returns a promise that is
// fulfilled when the test has run and never rejects (a failure is the runner's to report), and its
// documentation says the value of a top-level call can be discarded. Such a statement drops no
// rejection. `t.test()` of a test's context is not one of them, although its type is the same
// function's: a subtest that is not awaited can be cancelled when its parent ends, so it is still
// reported. The callee is therefore judged by the name it is called through, not by its type.
import * as ts from 'typescript';

const RUNNER_MODULE = 'node:test';

export function isTestRunnerRegistration(checker: ts.TypeChecker, call: ts.CallExpression): boolean {
  const callee = call.expression;
  const name = ts.isIdentifier(callee) ? callee : ts.isPropertyAccessExpression(callee) ? callee.name : undefined;
  let symbol = name && checker.getSymbolAtLocation(name);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  return !!symbol?.declarations?.some(isRunnerFunction);
}

/** A function of the runner's module or of its namespaces (`test.skip`, `suite.only`), not a member of a class. */
function isRunnerFunction(decl: ts.Declaration): boolean {
  if (!ts.isFunctionDeclaration(decl) || !decl.getSourceFile().isDeclarationFile) return false;
  let outer: ts.Node = decl.parent;
  let moduleName: string | undefined;
  while (ts.isModuleBlock(outer) || ts.isModuleDeclaration(outer)) {
    if (ts.isModuleDeclaration(outer)) moduleName = outer.name.text;
    outer = outer.parent;
  }
  return ts.isSourceFile(outer) && moduleName === RUNNER_MODULE;
}
