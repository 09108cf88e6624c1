// What `asyncguard check` found, in the shape every output format reads.
import type { Finding } from '../engine/types';

export interface FileReport {
  /** As printed: relative to the working folder with `/` separators, or absolute outside it. */
  file: string;
  absolutePath: string;
  /** Sorted by position. */
  findings: Finding[];
  /**
   * A notebook's: the 0-based line of the file on which 0-based line `line` of cell `cell` is written
   * (its findings are relative to cells; SARIF and GitHub annotations can point only into the file).
   */
  fileLine?: (cell: number, line: number) => number | undefined;
}

export interface Note {
  file: string;
  message: string;
  /** Skipped files and engine notes are warnings; a crash while analysing is an error. */
  level: 'warning' | 'error';
}

export interface CheckReport {
  version: string;
  /** The working folder: relative paths and SARIF's %SRCROOT% are relative to it. */
  cwd: string;
  files: FileReport[];
  notes: Note[];
  /** How many fixes --fix applied. */
  fixed: number;
  /** Whether --fix ran (the summary then counts fixed and remaining problems). */
  fixMode: boolean;
  unsafeFixes: boolean;
}

/** 1-based line and column (column = UTF-16 code unit + 1), the CLI's coordinates everywhere. */
export interface OneBasedRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export function oneBased(range: Finding['range']): OneBasedRange {
  return {
    line: range.start.line + 1,
    column: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  };
}

/** `cell 2:` before the line and column of a finding in a notebook (cells count from 1, markdown ones too). */
export function cellPrefix(finding: Finding): string {
  return finding.cell === undefined ? '' : `cell ${finding.cell + 1}:`;
}

export function allFindings(report: CheckReport): { file: FileReport; finding: Finding }[] {
  return report.files.flatMap((file) => file.findings.map((finding) => ({ file, finding })));
}
