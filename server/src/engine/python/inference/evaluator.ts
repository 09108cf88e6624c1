// What the parts of the inference ask of one another (inference/index.ts wires them together):
// each part is written against this interface, never against another part, so that the parts
// can call each other recursively without importing each other.
import type { AwaitableKind } from '../../types';
import type { ModuleProvider } from '../modules';
import type { Binding, Scope, SemanticModel } from '../scopes';
import type { TypeExpr } from '../summary';
import type { Node, SyntaxTree } from '../tree';
import type { ClassInfo, NameContext, Value } from './values';

/** The file being analysed, as every part sees it. */
export interface InferenceFile {
  model: SemanticModel;
  tree: SyntaxTree;
  modules: ModuleProvider;
  /** The file's module name (`pkg.mod`); `__main__` for a package's `__init__` without a project index. */
  moduleName: string;
  isPackage: boolean;
  /** Without a project index the file's package is unknown, so relative imports are too. */
  packageKnown: boolean;
}

export interface Evaluator {
  // expressions.ts
  evalExpr(node: Node, scope: Scope): Value;
  // calls.ts
  callResult(callee: Value, selfClass?: ClassInfo): Value;
  awaitResult(v: Value): Value;
  // classes.ts
  kindOf(v: Value): AwaitableKind;
  getAttr(v: Value, name: string): Value;
  lookupMember(cls: ClassInfo, name: string, skipSelf: boolean): Value | undefined;
  bindMember(member: Value | undefined, via: 'instance' | 'class', cls: ClassInfo): Value;
  // annotations.ts
  resolveDotted(dotted: string, ctx: NameContext): Value;
  resolveTypeHead(t: TypeExpr, ctx: NameContext): Value;
  typeToValue(t: TypeExpr, ctx: NameContext, self?: ClassInfo): Value;
  isTypeVar(name: string, ctx: NameContext): boolean;
  typeArgument(cls: ClassInfo, owner: ClassInfo, name: string, depth: number): { t: TypeExpr; ctx: NameContext } | undefined;
  // moduleMembers.ts
  moduleMember(moduleName: string, name: string): Value | undefined;
  builtin(name: string): Value;
  // localBindings.ts
  localContext(scope: Scope): NameContext;
  bindingValue(b: Binding): Value;
  localClass(node: Node): ClassInfo;
}
