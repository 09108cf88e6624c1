// Findings as LSP diagnostics. A diagnostic carries its rule id (so code actions and hovers can find
// the finding it came from again) and, when there is one, the link to its explanation (ruleLinks.ts).
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { Finding, Range, RuleSettings, Severity } from '../engine/types';
import { DIAGNOSTIC_SOURCE } from '../protocol';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(finding: Finding, rules: RuleSettings, link: string | undefined): Diagnostic {
  return {
    range: finding.range,
    severity: SEVERITY[rules.severity[finding.rule] ?? finding.severity],
    source: DIAGNOSTIC_SOURCE,
    code: finding.rule,
    ...(link ? { codeDescription: { href: link } } : {}),
    message: finding.message,
  };
}

export function sameRange(a: Range, b: Range): boolean {
  return (
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character
  );
}

/** The finding a diagnostic (possibly echoed back by the client) was made from. */
export function findingFor(diagnostic: Diagnostic, findings: readonly Finding[]): Finding | undefined {
  if (diagnostic.source !== DIAGNOSTIC_SOURCE) return undefined;
  return findings.find((f) => f.rule === diagnostic.code && sameRange(f.range, diagnostic.range));
}

export function containsPosition(range: Range, line: number, character: number): boolean {
  if (line < range.start.line || line > range.end.line) return false;
  if (line === range.start.line && character < range.start.character) return false;
  if (line === range.end.line && character > range.end.character) return false;
  return true;
}
