// An output format written file by file, as the files are analysed, so that a run over a large tree
// holds no file's findings once they are written: only the counts the last line needs.
import { appliesAutomatically } from '../../engine/workspace/index';
import type { CheckReport, FileReport } from '../report';

/** What the summary line counts of the findings written. */
export interface Tally {
  findings: number;
  /** With a fix --fix applies. */
  fixable: number;
  /** With a fix only --fix --unsafe-fixes applies. */
  unsafeOnly: number;
}

export interface ReportStream {
  /** The text for one file's findings (and, before the first, what opens the output). */
  file(file: FileReport): string;
  /** What closes the output, once every file is written. */
  end(report: CheckReport, tally: Tally): string;
}

export function emptyTally(): Tally {
  return { findings: 0, fixable: 0, unsafeOnly: 0 };
}

export function addToTally(tally: Tally, file: FileReport, unsafeFixes: boolean): void {
  for (const finding of file.findings) {
    tally.findings++;
    if (finding.fixes.some((x) => appliesAutomatically(x, unsafeFixes))) tally.fixable++;
    else if (!unsafeFixes && finding.fixes.some((x) => appliesAutomatically(x, true))) tally.unsafeOnly++;
  }
}
