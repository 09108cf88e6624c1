// Every module a file imports, wherever the import statement is (module level, functions, `try`),
// with relative imports made absolute: what an edit to one of them can change in this file.
import type { Node } from '../python/parser';
import { dottedName, fieldChildren, importedModuleOf } from '../python/summary';

export function importedModules(root: Node, moduleName: string, isPackage: boolean): string[] {
  const out = new Set<string>();
  for (const stmt of root.descendantsOfType(['import_statement', 'import_from_statement'])) {
    if (!stmt) continue;
    if (stmt.type === 'import_statement') {
      for (const c of stmt.namedChildren) {
        const name = c!.type === 'aliased_import' ? dottedName(c!.childForFieldName('name')) : dottedName(c);
        if (name) out.add(name);
      }
      continue;
    }
    const m = importedModuleOf(stmt, moduleName, isPackage);
    if (!m) continue;
    out.add(m);
    // `from pkg import sub` may name a submodule
    for (const c of fieldChildren(stmt, 'name')) {
      const n = c.type === 'aliased_import' ? dottedName(c.childForFieldName('name')) : dottedName(c);
      if (n) out.add(`${m}.${n}`);
    }
  }
  return [...out].sort();
}
