// Ruff-like text: `path:line:col: rule-id message` per finding, then one summary line.
import { cellPrefix, oneBased, type CheckReport } from '../report';
import type { ReportStream, Tally } from './stream';

export function textStream(): ReportStream {
  return {
    file: (file) =>
      file.findings
        .map((finding) => {
          const at = oneBased(finding.range);
          return `${file.file}:${cellPrefix(finding)}${at.line}:${at.column}: ${finding.rule} ${finding.message}\n`;
        })
        .join(''),
    end: (report, tally) => summaryLine(report, tally) + '\n',
  };
}

export function summaryLine(report: CheckReport, tally: Tally): string {
  const remaining = tally.findings;
  // Files that could not be checked (and internal errors): never "All checks passed!".
  const errors = report.notes.filter((n) => n.level === 'error').length;
  const errorText = errors ? `; ${errors} error${errors === 1 ? '' : 's'} (see above)` : '';
  if (report.fixMode && report.fixed > 0) {
    return `Found ${problems(report.fixed + remaining)} (${report.fixed} fixed, ${remaining} remaining)${errorText}.`;
  }
  if (remaining === 0) return errors ? `No problems found${errorText}.` : 'All checks passed!';
  const { fixable, unsafeOnly } = tally;
  const hints: string[] = [];
  if (fixable && !report.fixMode) hints.push(`${fixable} fixable with --fix`);
  if (unsafeOnly) hints.push(`${unsafeOnly} ${fixable && !report.fixMode ? 'more ' : ''}fixable with --fix --unsafe-fixes`);
  return `Found ${problems(remaining)}${hints.length ? ` (${hints.join(', ')})` : ''}${errorText}.`;
}

function problems(n: number): string {
  return `${n} problem${n === 1 ? '' : 's'}`;
}
