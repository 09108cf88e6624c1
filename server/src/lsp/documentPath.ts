// Where a document lives and which engine reads it. The engine dispatches on the file name, so a
// document whose name says nothing (an untitled buffer) gets one from its language id.
import { extname } from 'node:path';
import { URI } from 'vscode-uri';
import { languageOf, type Language } from '../engine/languages';
import { LANGUAGE_EXTENSIONS } from '../protocol';

const EXTENSION_BY_LANGUAGE_ID: Readonly<Record<string, string>> = LANGUAGE_EXTENSIONS;

export interface DocumentPath {
  /** A file-system path for file: URIs; otherwise the URI's path. */
  path: string;
  /** True when `path` is a real file on disk (its configuration file applies). */
  onDisk: boolean;
  language: Language | undefined;
}

export function documentPath(uri: string, languageId?: string): DocumentPath {
  let parsed: URI;
  try {
    parsed = URI.parse(uri);
  } catch {
    return { path: uri, onDisk: false, language: undefined };
  }
  const onDisk = parsed.scheme === 'file';
  let path = onDisk ? parsed.fsPath : parsed.path || uri;
  let language = languageOf(path);
  const ext = languageId ? EXTENSION_BY_LANGUAGE_ID[languageId] : undefined;
  if (ext && languageOf(`x${ext}`) !== language && extname(path) === '') {
    path = `${path}${ext}`;
    language = languageOf(path);
  }
  return { path, onDisk, language };
}
