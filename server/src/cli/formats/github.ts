// `--format github`: GitHub Actions workflow commands, one annotation per finding.
import type { Finding, Severity } from '../../engine/types';
import { oneBased, type FileReport } from '../report';
import type { ReportStream } from './stream';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' };

export function githubStream(): ReportStream {
  return { file: (file) => file.findings.map((finding) => annotation(file, finding)).join(''), end: () => '' };
}

function annotation(file: FileReport, finding: Finding): string {
  const at = oneBased(finding.range);
  if (finding.cell !== undefined) {
    // the annotation points at the line of the notebook file that holds the cell's line
    const line = file.fileLine?.(finding.cell, finding.range.start.line);
    const where = `cell ${finding.cell + 1}, line ${at.line}, column ${at.column}`;
    const props = [`file=${escapeProperty(file.file)}`, ...(line !== undefined ? [`line=${line + 1}`] : []), `title=${escapeProperty(`${finding.rule} (${where})`)}`];
    return `::${COMMAND[finding.severity]} ${props.join(',')}::${escapeData(`${where}: ${finding.message}`)}\n`;
  }
  const props = [
    `file=${escapeProperty(file.file)}`,
    `line=${at.line}`,
    `col=${at.column}`,
    `endLine=${at.endLine}`,
    `endColumn=${at.endColumn}`,
    `title=${escapeProperty(finding.rule)}`,
  ];
  return `::${COMMAND[finding.severity]} ${props.join(',')}::${escapeData(finding.message)}\n`;
}

// The runner's own escaping rules for workflow commands.
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
