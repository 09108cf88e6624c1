#!/usr/bin/env node
// The AsyncGuard language server for any LSP client: `asyncguard-server --stdio`.
'use strict';
require('../out/server.js');
