// Every module a file imports, wherever the import statement is (module level, functions, `try`),
// with relative imports made absolute: what an edit to one of them can change in this file.
import { dottedName, importedModuleOf } from '../python/summary';
import type { SyntaxTree } from '../python/tree';

export function importedModules(tree: SyntaxTree, moduleName: string, isPackage: boolean): string[] {
  const out = new Set<string>();
  for (const stmt of tree.descendantsOfType(tree.root, ['import_statement', 'import_from_statement'])) {
    if (tree.type(stmt) === 'import_statement') {
      for (const c of tree.namedChildren(stmt)) {
        const name = tree.type(c) === 'aliased_import' ? dottedName(tree, tree.field(c, 'name')) : dottedName(tree, c);
        if (name) out.add(name);
      }
      continue;
    }
    const m = importedModuleOf(tree, stmt, moduleName, isPackage);
    if (!m) continue;
    out.add(m);
    // `from pkg import sub` may name a submodule
    for (const c of tree.fieldChildren(stmt, 'name')) {
      const n = tree.type(c) === 'aliased_import' ? dottedName(tree, tree.field(c, 'name')) : dottedName(tree, c);
      if (n) out.add(`${m}.${n}`);
    }
  }
  return [...out].sort();
}
