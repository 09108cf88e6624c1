// Entry point of the language server (bundled to server/out/server.js). The transport comes from
// the command line: `--stdio`, `--node-ipc` (what vscode-languageclient passes) or `--socket=N`.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { AsyncGuardServer } from './server';

const connection = createConnection(ProposedFeatures.all);
const server = new AsyncGuardServer(connection);

// Whatever slips past the handlers' own guards is logged; an editor tool must keep serving.
process.on('uncaughtException', (e) => server.logError('an unexpected error', e));
process.on('unhandledRejection', (e) => server.logError('an unexpected rejection', e));

server.listen();
