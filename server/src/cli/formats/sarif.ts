// `--format sarif`: one SARIF 2.1.0 log with a run whose driver lists every rule.
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RULES } from '../../engine/rules';
import type { Finding, Severity } from '../../engine/types';
import { docsDir as findDocs, readPage } from '../../docs/pages';
import { renderForTerminal } from '../../docs/terminal';
import { allFindings, oneBased, type CheckReport, type FileReport } from '../report';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };
const SRCROOT = '%SRCROOT%';

export function formatSarif(report: CheckReport): string {
  const ruleIndex = new Map(RULES.map((r, i) => [r.id, i]));
  const docsDir = findDocs();
  const rules = RULES.map((r) => {
    const doc = readPage(r.id, docsDir)?.text;
    return {
      id: r.id,
      shortDescription: { text: r.summary },
      ...(doc ? { help: { text: renderForTerminal(doc, { color: false }), markdown: doc } } : {}),
      defaultConfiguration: { level: LEVEL[r.defaultSeverity] },
      properties: { language: r.language },
    };
  });
  const results = allFindings(report).map(({ file, finding }) => {
    const location = artifactLocation(file.file);
    if (finding.cell !== undefined) return notebookResult(file, finding, location, ruleIndex.get(finding.rule));
    return {
      ruleId: finding.rule,
      ruleIndex: ruleIndex.get(finding.rule),
      level: LEVEL[finding.severity],
      message: { text: finding.message },
      locations: [{ physicalLocation: { artifactLocation: location, region: region(finding.range) } }],
      ...(finding.fixes.length
        ? {
            fixes: finding.fixes.map((fix) => ({
              description: { text: fix.title },
              artifactChanges: [
                {
                  artifactLocation: location,
                  replacements: fix.edits.map((e) => ({ deletedRegion: region(e.range), insertedContent: { text: e.newText } })),
                },
              ],
              properties: { safe: fix.safe },
            })),
          }
        : {}),
    };
  });
  const notifications = report.notes.map((n) => ({
    level: n.level,
    message: { text: n.message },
    locations: [{ physicalLocation: { artifactLocation: artifactLocation(n.file) } }],
  }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'AsyncGuard', semanticVersion: report.version, version: report.version, rules } },
        invocations: [
          {
            executionSuccessful: !report.notes.some((n) => n.level === 'error'),
            ...(notifications.length ? { toolExecutionNotifications: notifications } : {}),
          },
        ],
        originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(report.cwd).href.replace(/\/?$/, '/') } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  if (isAbsolute(file)) return { uri: pathToFileURL(file).href };
  return { uri: file.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

/**
 * A finding in a notebook points at the notebook file, on the line of the file that holds the cell's
 * line; the cell and the position in it are the result's properties. Its fixes are left out: their
 * edits are relative to the cell, not regions of the file.
 */
function notebookResult(file: FileReport, finding: Finding, location: ReturnType<typeof artifactLocation>, ruleIndex: number | undefined) {
  const at = oneBased(finding.range);
  const line = file.fileLine?.(finding.cell!, finding.range.start.line);
  return {
    ruleId: finding.rule,
    ruleIndex,
    level: LEVEL[finding.severity],
    message: { text: `cell ${finding.cell! + 1}, line ${at.line}: ${finding.message}` },
    locations: [{ physicalLocation: { artifactLocation: location, ...(line !== undefined ? { region: { startLine: line + 1 } } : {}) } }],
    properties: { cell: finding.cell! + 1, cellLine: at.line, cellColumn: at.column, cellEndLine: at.endLine, cellEndColumn: at.endColumn },
  };
}

function region(range: Parameters<typeof oneBased>[0]) {
  const r = oneBased(range);
  return { startLine: r.line, startColumn: r.column, endLine: r.endLine, endColumn: r.endColumn };
}
