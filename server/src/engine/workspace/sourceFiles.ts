// Reading source files as the engine wants them (UTF-8 text without BOM) and writing them back the
// way they were (same BOM, line endings and mode), atomically. What cannot be analysed (too large,
// binary, not UTF-8, unreadable) comes back as a reason, worded once here for every front end.
import { chmodSync, closeSync, fsyncSync, openSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { dominantLineEnding, type LineEnding } from '../text';

export { dominantLineEnding, withLineEnding, type LineEnding } from '../text';

/**
 * Files above this size are skipped with a reason; everything up to it is analysed. Larger files are
 * generated code, not something a person wrote, and would hold up an editor for seconds.
 */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

export interface SourceFile {
  kind: 'source';
  path: string;
  /** The file's text without its byte order mark, line endings as they are. */
  text: string;
  bom: boolean;
  /** The most common line ending, used for lines a fix inserts. */
  eol: LineEnding;
  /** Permission bits, restored when the file is rewritten. */
  mode: number;
}

export interface SkippedFile {
  kind: 'skipped';
  path: string;
  /** Why it was not analysed, e.g. "not UTF-8". */
  reason: string;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function readSourceFile(path: string, maxBytes = MAX_FILE_BYTES): SourceFile | SkippedFile {
  let bytes: Buffer;
  let mode: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) return { kind: 'skipped', path, reason: 'not a regular file' };
    if (st.size > maxBytes) return { kind: 'skipped', path, reason: tooLarge(st.size, maxBytes) };
    mode = st.mode & 0o7777;
    bytes = readFileSync(path);
  } catch (e) {
    return { kind: 'skipped', path, reason: `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
  return decodeSource(path, bytes, mode);
}

/** Why an editor's text is not analysed (over the size limit), or undefined when it is. */
export function textSkipReason(text: string, maxBytes = MAX_FILE_BYTES): string | undefined {
  // a UTF-16 code unit is at most three UTF-8 bytes: only long texts need counting
  if (text.length * 3 <= maxBytes) return undefined;
  const bytes = Buffer.byteLength(text, 'utf8');
  return bytes > maxBytes ? tooLarge(bytes, maxBytes) : undefined;
}

function tooLarge(bytes: number, maxBytes: number): string {
  // rounded up, so that a file just over the limit never reads as being at it
  const size = Math.ceil((bytes / (1024 * 1024)) * 10) / 10;
  return `too large (${megabytes(size * 1024 * 1024)} MB, the limit is ${megabytes(maxBytes)} MB)`;
}

/** Turns a file's bytes into a SourceFile, or says why it cannot be analysed. */
export function decodeSource(path: string, bytes: Uint8Array, mode = 0o644): SourceFile | SkippedFile {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { kind: 'skipped', path, reason: 'not UTF-8 (UTF-16 byte order mark)' };
  }
  if (bytes.indexOf(0) !== -1) return { kind: 'skipped', path, reason: 'binary file (contains NUL bytes)' };
  const bom = UTF8_BOM.every((b, i) => bytes[i] === b);
  let text: string;
  try {
    text = decoder.decode(bom ? bytes.subarray(3) : bytes);
  } catch {
    return { kind: 'skipped', path, reason: 'not UTF-8' };
  }
  return { kind: 'source', path, text, bom, eol: dominantLineEnding(text), mode };
}

/** The bytes to write for `text` so the file keeps its byte order mark. */
export function encodeSource(text: string, bom: boolean): Buffer {
  const body = Buffer.from(text, 'utf8');
  return bom ? Buffer.concat([Buffer.from(UTF8_BOM), body]) : body;
}

/**
 * Replaces the file's contents atomically: a temporary file in the same folder, flushed, given the
 * original mode, then renamed over the target (through a symlink, the link's target is replaced).
 * A reader sees the old file or the new one, never half of it.
 */
export function writeFileAtomic(path: string, data: Uint8Array, mode?: number): void {
  let target = path;
  try {
    target = realpathSync(path);
  } catch {
    // a new file: write it where it was asked for
  }
  const keepMode = mode ?? existingMode(target) ?? 0o644;
  const temp = join(dirname(target), `.${basename(target)}.asyncguard-${process.pid}-${Math.random().toString(36).slice(2, 10)}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', 0o600);
    let offset = 0;
    while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    chmodSync(temp, keepMode);
    renameSync(temp, target);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
    throw e;
  }
}

function existingMode(path: string): number | undefined {
  try {
    return statSync(path).mode & 0o7777;
  } catch {
    return undefined;
  }
}

function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '');
}
