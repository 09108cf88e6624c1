// What the client can do, read once from its capabilities: the server adapts to each client
// (pulled or pushed diagnostics, lazy fix-all edits, versioned edits, file watching, folders).
import type { ClientCapabilities } from 'vscode-languageserver/node';

export interface ClientFeatures {
  configuration: boolean;
  pullDiagnostics: boolean;
  diagnosticRefresh: boolean;
  resolveEdit: boolean;
  documentChanges: boolean;
  watchFiles: boolean;
  workspaceFolders: boolean;
}

export function clientFeatures(c: ClientCapabilities): ClientFeatures {
  return {
    configuration: c.workspace?.configuration === true,
    pullDiagnostics: c.textDocument?.diagnostic !== undefined,
    diagnosticRefresh: c.workspace?.diagnostics?.refreshSupport === true,
    resolveEdit: c.textDocument?.codeAction?.resolveSupport?.properties?.includes('edit') === true,
    documentChanges: c.workspace?.workspaceEdit?.documentChanges === true,
    watchFiles: c.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
    workspaceFolders: c.workspace?.workspaceFolders === true,
  };
}
