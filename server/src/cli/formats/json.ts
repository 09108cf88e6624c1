// `--format json`: exactly {"version", "findings": [...]}, 1-based lines and columns; each fix with
// its kind, whether it is safe (docs/concepts/fix-safety.md) and whether it is the preferred one.
import { allFindings, oneBased, type CheckReport } from '../report';

export function formatJson(report: CheckReport): string {
  const findings = allFindings(report).map(({ file, finding }) => ({
    file: file.file,
    ...oneBased(finding.range),
    rule: finding.rule,
    severity: finding.severity,
    message: finding.message,
    ...(finding.evidence ? { evidence: finding.evidence.map((e) => (e.at ? { text: e.text, line: e.at.line + 1 } : { text: e.text })) } : {}),
    fixes: finding.fixes.map((fix) => ({
      kind: fix.kind,
      title: fix.title,
      safe: fix.safe,
      preferred: fix.preferred,
      edits: fix.edits.map((edit) => ({ ...oneBased(edit.range), newText: edit.newText })),
    })),
  }));
  return JSON.stringify({ version: report.version, findings }, null, 2) + '\n';
}
