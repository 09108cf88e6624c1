// Quick fixes for the TypeScript rules, as plain text edits. Every fix here is meant to leave
// the file type-checking as well as before (the tests check each one with the compiler).
// None is safe (docs/concepts/fix-safety.md): a promise's work has already started, so `await` makes the
// caller wait for it (a loop becomes serial), `.catch` swallows a rejection that would have ended
// the process, and `void` hides the problem without handling it; so none is applied unread.
import * as ts from 'typescript';
import type { Fix, FixKind, RuleId, TextEdit } from '../types';
import type { RuleContext } from './context';
import type { Insertion, OffsetEdit, ServiceFixes } from './serviceFixes';
import { quoted } from '../messages';

type Internal = typeof ts & {
  getEmitModuleKind?(options: ts.CompilerOptions): ts.ModuleKind;
  getEmitScriptTarget?(options: ts.CompilerOptions): ts.ScriptTarget;
};

function insert(ctx: RuleContext, offset: number, text: string): TextEdit {
  return { range: ctx.rangeOf(offset, offset), newText: text };
}

function fix(kind: FixKind, title: string, safe: boolean, edits: TextEdit[]): Fix {
  return { kind, title, safe, preferred: false, edits };
}

/** Marks the first fix of `order` that is present as the preferred one (in place: make-async requests hold these objects). */
export function withPreferred(fixes: Fix[], order: readonly FixKind[]): Fix[] {
  const best = order.map((k) => fixes.find((f) => f.kind === k)).find(Boolean) ?? fixes[0];
  for (const f of fixes) f.preferred = f === best;
  return fixes;
}

/** `await x` / `void x` would bind tighter than `x` itself: `a ? b() : c()`, `a || b()`, `x as P`. */
export function needsParensForUnary(expr: ts.Expression): boolean {
  return (
    ts.isBinaryExpression(expr) ||
    ts.isConditionalExpression(expr) ||
    ts.isArrowFunction(expr) ||
    ts.isYieldExpression(expr) ||
    ts.isAsExpression(expr) ||
    ts.isSatisfiesExpression(expr)
  );
}

/** `x.catch(...)` needs `(x)` unless x is a member/call-level expression. */
export function needsParensForMember(expr: ts.Expression): boolean {
  if (ts.isNewExpression(expr)) return expr.arguments === undefined;
  return !(
    ts.isCallExpression(expr) ||
    ts.isPropertyAccessExpression(expr) ||
    ts.isElementAccessExpression(expr) ||
    ts.isIdentifier(expr) ||
    ts.isParenthesizedExpression(expr) ||
    ts.isTaggedTemplateExpression(expr) ||
    ts.isNonNullExpression(expr) ||
    expr.kind === ts.SyntaxKind.ThisKeyword
  );
}

// ---------------------------------------------------------------- where `await` compiles

type Container = { kind: 'function'; fn: ts.SignatureDeclaration } | { kind: 'top-level' } | { kind: 'none' };

/** What an `await` at `node` would belong to. */
function awaitContainer(node: ts.Node): Container {
  let child = node;
  for (let p = node.parent; p; child = p, p = p.parent) {
    if (ts.isClassStaticBlockDeclaration(p)) return { kind: 'none' };
    if (ts.isDecorator(p)) return { kind: 'none' };
    if ((ts.isPropertyDeclaration(p) || ts.isParameter(p)) && child !== p.name) return { kind: 'none' };
    if (ts.isFunctionLike(p)) return { kind: 'function', fn: p };
    if (ts.isSourceFile(p)) return { kind: 'top-level' };
  }
  return { kind: 'none' };
}

function isAsync(fn: ts.Node): boolean {
  return ts.canHaveModifiers(fn) && !!ts.getModifiers(fn)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
}

const TLA_MODULES = new Set([
  ts.ModuleKind.ES2022,
  ts.ModuleKind.ESNext,
  ts.ModuleKind.System,
  ts.ModuleKind.Node16,
  ts.ModuleKind.Node18,
  ts.ModuleKind.Node20,
  ts.ModuleKind.NodeNext,
  ts.ModuleKind.Preserve,
]);

/** Top-level await compiles in an ES module file whose module and target allow it. */
export function topLevelAwaitAllowed(ctx: RuleContext): boolean {
  const { sf, options } = ctx;
  if (!ts.isExternalModule(sf) || /\.c[jt]s$/i.test(sf.fileName)) return false;
  const t = ts as Internal;
  const moduleKind = t.getEmitModuleKind ? t.getEmitModuleKind(options) : (options.module ?? ts.ModuleKind.ESNext);
  const target = t.getEmitScriptTarget ? t.getEmitScriptTarget(options) : (options.target ?? ts.ScriptTarget.ESNext);
  if (!TLA_MODULES.has(moduleKind) || target < ts.ScriptTarget.ES2017) return false;
  if (moduleKind >= ts.ModuleKind.Node16 && moduleKind <= ts.ModuleKind.NodeNext) {
    return sf.impliedNodeFormat === ts.ModuleKind.ESNext;
  }
  return true;
}

export function canAwaitAt(ctx: RuleContext, node: ts.Node): boolean {
  const c = awaitContainer(node);
  if (c.kind === 'function') return isAsync(c.fn);
  return c.kind === 'top-level' && topLevelAwaitAllowed(ctx);
}

// ---------------------------------------------------------------- fixes

/** `await expr` (or `await Promise.all(expr)` for an array of promises). */
export function addAwait(ctx: RuleContext, expr: ts.Expression, opts: { all?: boolean } = {}): Fix | undefined {
  if (!canAwaitAt(ctx, expr)) return undefined;
  return fix('add-await', opts.all ? 'Await all with “await Promise.all(...)”' : 'Add “await”', false, awaitEdits(ctx, expr, opts.all));
}

function awaitEdits(ctx: RuleContext, expr: ts.Expression, all?: boolean): TextEdit[] {
  return awaitInsertions(ctx, expr, all).map((i) => insert(ctx, i.offset, i.text));
}

/** The `await` first, then any closing parenthesis. */
function awaitInsertions(ctx: RuleContext, expr: ts.Expression, all?: boolean): Insertion[] {
  const start = expr.getStart(ctx.sf);
  if (all) return [{ offset: start, text: 'await Promise.all(' }, { offset: expr.getEnd(), text: ')' }];
  if (needsParensForUnary(expr)) return [{ offset: start, text: 'await (' }, { offset: expr.getEnd(), text: ')' }];
  return [{ offset: start, text: 'await ' }];
}

export function addVoid(ctx: RuleContext, expr: ts.Expression): Fix {
  const start = expr.getStart(ctx.sf);
  const edits = needsParensForUnary(expr)
    ? [insert(ctx, start, 'void ('), insert(ctx, expr.getEnd(), ')')]
    : [insert(ctx, start, 'void ')];
  return fix('add-void', 'Mark as deliberately not awaited with “void”', false, edits);
}

/** A logger the file already imports or declares at top level, with a callable `error`. */
function evidentLogger(ctx: RuleContext): string | undefined {
  const names: ts.Identifier[] = [];
  for (const stmt of ctx.sf.statements) {
    if (ts.isImportDeclaration(stmt) && stmt.importClause && !stmt.importClause.isTypeOnly) {
      const clause = stmt.importClause;
      if (clause.name) names.push(clause.name);
      if (clause.namedBindings && ts.isNamedImports(clause.namedBindings)) {
        for (const el of clause.namedBindings.elements) if (!el.isTypeOnly) names.push(el.name);
      }
    } else if (ts.isVariableStatement(stmt)) {
      for (const d of stmt.declarationList.declarations) if (ts.isIdentifier(d.name)) names.push(d.name);
    }
  }
  for (const id of names) {
    if (!/^(logger|log|LOGGER|LOG)$/.test(id.text)) continue;
    const type = ctx.typeOf(id);
    if (type.flags & ts.TypeFlags.Any) {
      if (/^logger$/i.test(id.text)) return id.text;
      continue;
    }
    const error = type.getProperty('error');
    if (error && ctx.checker.getTypeOfSymbolAtLocation(error, id).getCallSignatures().length > 0) return id.text;
  }
  return undefined;
}

/** Appends `.catch((error: unknown) => { ... })`; `all` wraps an array in `Promise.all(...)` first. */
export function addCatch(
  ctx: RuleContext,
  expr: ts.Expression,
  opts: { nullable?: boolean; all?: boolean; statement?: ts.Statement } = {},
): Fix {
  const logger = evidentLogger(ctx) ?? 'console';
  const param = ctx.isJs ? '(error)' : '(error: unknown)';
  const handler = `${opts.nullable ? '?.' : '.'}catch(${param} => { ${logger}.error(error); })`;
  const start = expr.getStart(ctx.sf);
  let edits: TextEdit[];
  if (opts.all) {
    edits = [insert(ctx, start, 'Promise.all('), insert(ctx, expr.getEnd(), `)${handler}`)];
  } else if (needsParensForMember(expr)) {
    const semicolon = opts.statement && startsStatement(opts.statement, start) && needsLeadingSemicolon(ctx, opts.statement) ? ';' : '';
    edits = [insert(ctx, start, `${semicolon}(`), insert(ctx, expr.getEnd(), `)${handler}`)];
  } else {
    edits = [insert(ctx, expr.getEnd(), handler)];
  }
  return fix('add-catch', `Handle the rejection with “.catch(...)” (${logger}.error)`, false, edits);
}

function startsStatement(stmt: ts.Statement, offset: number): boolean {
  return stmt.getStart() === offset;
}

/** A statement starting with `(` after one without a semicolon would continue it (ASI). */
function needsLeadingSemicolon(ctx: RuleContext, stmt: ts.Statement): boolean {
  const siblings = (stmt.parent as { statements?: ts.NodeArray<ts.Statement> }).statements;
  const i = siblings ? siblings.indexOf(stmt) : -1;
  if (i <= 0 || !siblings) return false;
  const prev = siblings[i - 1];
  const endsWithBrace =
    ts.isBlock(prev) ||
    ts.isIfStatement(prev) ||
    ts.isIterationStatement(prev, false) ||
    ts.isFunctionDeclaration(prev) ||
    ts.isClassDeclaration(prev) ||
    ts.isTryStatement(prev) ||
    ts.isSwitchStatement(prev) ||
    ts.isInterfaceDeclaration(prev) ||
    ts.isEnumDeclaration(prev) ||
    ts.isModuleDeclaration(prev);
  return !endsWithBrace && !prev.getText(ctx.sf).endsWith(';');
}

/** The function `stmt` is in, when making it `async` keeps its callers compiling. */
function asyncCandidate(node: ts.Node): ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration | undefined {
  const c = awaitContainer(node);
  if (c.kind !== 'function') return undefined;
  const fn = c.fn;
  if (!(ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) || ts.isArrowFunction(fn) || ts.isMethodDeclaration(fn))) return undefined;
  if (isAsync(fn) || fn.asteriskToken || !fn.body || !ts.isBlock(fn.body)) return undefined;
  return returnsValue(fn.body) ? undefined : fn;
}

/** A `return value;` of this function itself (not of nested functions). */
function returnsValue(body: ts.Block): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || ts.isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isReturnStatement(n) && n.expression) found = true;
    else ts.forEachChild(n, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

/**
 * `async` on the enclosing function plus `await` here; changes what callers get, so unsafe.
 * Whether to offer it is decided here; its edits come from the TypeScript service's own code fix
 * (serviceFixes.ts, asked once per file after the rules ran). The edits written below are the
 * fallback, kept only for when the service offers nothing.
 */
export function makeAsync(ctx: RuleContext, expr: ts.Expression, opts: { all?: boolean } = {}): Fix | undefined {
  const fn = asyncCandidate(expr);
  if (!fn) return undefined;
  const sf = ctx.sf;
  let at: number;
  if (ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)) {
    at = fn.getChildren(sf).find((c) => c.kind === ts.SyntaxKind.FunctionKeyword)!.getStart(sf);
  } else if (ts.isMethodDeclaration(fn)) {
    at = fn.name.getStart(sf);
  } else {
    at = fn.getStart(sf);
  }
  const awaits = awaitInsertions(ctx, expr, opts.all);
  const edits = [insert(ctx, at, 'async '), ...awaits.map((i) => insert(ctx, i.offset, i.text))];
  if (fn.type) {
    const typeText = fn.type.getText(sf);
    edits.push({ range: ctx.range(fn.type), newText: `Promise<${typeText}>` });
  }
  const name = fn.name && ts.isIdentifier(fn.name) ? quoted(fn.name.text) : 'the enclosing function';
  const made = fix('make-async', `Make ${name} async and await this`, false, edits);
  ctx.makeAsyncRequests.push({ fix: made, awaits });
  return made;
}

/** Gives every make-async fix of the file the service's edits, where it offers some. */
export function resolveMakeAsync(ctx: RuleContext, service: ServiceFixes): void {
  const requests = ctx.makeAsyncRequests;
  if (requests.length === 0) return;
  let answers: (OffsetEdit[] | undefined)[];
  try {
    answers = service.makeAsyncEdits(ctx.sf.fileName, ctx.sf.text, requests.map((r) => r.awaits), ctx.newline);
  } catch {
    return; // the hand-written edits stay
  }
  requests.forEach(({ fix, awaits }, i) => {
    const edits = answers[i];
    if (!edits) return;
    fix.edits = [
      ...awaits.map((a) => insert(ctx, a.offset, a.text)),
      ...edits.map((e) => ({ range: ctx.rangeOf(e.start, e.end), newText: e.newText })),
    ];
  });
}

/** `// asyncguard-ignore-next-line RULE` above the line, with the line's indentation. */
export function suppress(ctx: RuleContext, rule: RuleId, node: ts.Node): Fix | undefined {
  const start = node.getStart(ctx.sf);
  const lineStart = ctx.lineStartOf(start);
  const inside = literalAt(ctx.sf, lineStart);
  if (inside === 'string') return undefined;
  const indent = /^[ \t]*/.exec(ctx.sf.text.slice(lineStart, start))![0];
  const comment =
    inside === 'jsx-text'
      ? `{/* asyncguard-ignore-next-line ${rule} */}`
      : `// asyncguard-ignore-next-line ${rule}`;
  return fix('suppress', `Suppress ${quoted(rule)} on this line`, false, [
    insert(ctx, lineStart, `${indent}${comment}${ctx.newline}`),
  ]);
}

/** The offset lies inside a multi-line string or template (a comment would be text) or JSX text. */
function literalAt(sf: ts.SourceFile, offset: number): 'string' | 'jsx-text' | undefined {
  let inside: 'string' | 'jsx-text' | undefined;
  const visit = (n: ts.Node): void => {
    if (inside || offset < n.pos || offset >= n.end) return;
    if (ts.isJsxText(n)) {
      inside = 'jsx-text';
      return;
    }
    if ((ts.isStringLiteralLike(n) || ts.isTemplateLiteralToken(n)) && n.getStart(sf) < offset) {
      inside = 'string';
      return;
    }
    n.forEachChild(visit);
  };
  sf.forEachChild(visit);
  return inside;
}
