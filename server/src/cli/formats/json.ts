// `--format json`: exactly {"version", "findings": [...]}, 1-based lines and columns; each fix with
// its kind, whether it is safe (docs/concepts/fix-safety.md) and whether it is the preferred one.
// Written finding by finding as the files are analysed, as JSON.stringify(…, null, 2) would lay out
// the whole document.
import type { Finding } from '../../engine/types';
import { oneBased, type FileReport } from '../report';
import type { ReportStream } from './stream';

export function jsonStream(version: string): ReportStream {
  let opened = false;
  let written = 0;
  const open = () => {
    if (opened) return '';
    opened = true;
    return `{\n  "version": ${JSON.stringify(version)},\n  "findings": [`;
  };
  return {
    file: (file) => {
      let out = open();
      for (const finding of file.findings) {
        out += (written++ ? ',\n' : '\n') + JSON.stringify(jsonFinding(file, finding), null, 2).replace(/^/gm, '    ');
      }
      return out;
    },
    end: () => open() + (written ? '\n  ]\n}\n' : ']\n}\n'),
  };
}

function jsonFinding(file: FileReport, finding: Finding) {
  return {
    file: file.file,
    // in a notebook: the cell (1-based, counting every cell), and line and column within it
    ...(finding.cell !== undefined ? { cell: finding.cell + 1 } : {}),
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
      edits: fix.edits.map((edit) => ({ ...(edit.cell !== undefined ? { cell: edit.cell + 1 } : {}), ...oneBased(edit.range), newText: edit.newText })),
    })),
  };
}
