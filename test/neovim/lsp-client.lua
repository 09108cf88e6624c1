-- Drives Neovim's built-in LSP client (0.7 API) against the AsyncGuard server, headless:
-- opens a Python file, waits for diagnostics, asks for the hover and the quick fixes, applies the
-- preferred fix, and writes everything it saw as JSON for the test to check.
local server = assert(os.getenv('ASYNCGUARD_SERVER'))
local file = assert(os.getenv('ASYNCGUARD_FILE'))
local out = assert(os.getenv('ASYNCGUARD_OUT'))
local root = assert(os.getenv('ASYNCGUARD_ROOT'))

local result = { diagnostics = {}, errors = {} }

local function finish()
  local f = assert(io.open(out, 'w'))
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qall!')
end

local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = 'asyncguard',
    cmd = { 'node', server, '--stdio' },
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = 'root' } },
    on_exit = function(code) result.exit_code = code end,
  })
  assert(client_id, 'the LSP client did not start')
  vim.lsp.buf_attach_client(bufnr, client_id)

  local got = vim.wait(60000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50)
  result.waited = got
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(result.diagnostics, {
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      severity = d.severity, source = d.source, message = d.message,
      code = d.code or lsp.code,
    })
  end
  if not got then return end

  local first = vim.diagnostic.get(bufnr)[1]
  local position = { line = first.lnum, character = first.col + 1 }
  local hover = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', {
    textDocument = vim.lsp.util.make_text_document_params(bufnr), position = position,
  }, 10000)
  for _, response in pairs(hover or {}) do
    if response.result then result.hover = response.result.contents.value end
  end

  local range = { start = { line = first.lnum, character = first.col }, ['end'] = { line = first.end_lnum, character = first.end_col } }
  local actions = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', {
    textDocument = vim.lsp.util.make_text_document_params(bufnr),
    range = range,
    context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr, first.lnum) },
  }, 10000)
  result.actions = {}
  for _, response in pairs(actions or {}) do
    for _, action in ipairs(response.result or {}) do
      table.insert(result.actions, action.title)
      if action.isPreferred and action.edit then
        vim.lsp.util.apply_workspace_edit(action.edit, 'utf-16')
      end
    end
  end
  result.text_after_fix = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n') .. '\n'
  -- The edit is sent to the server as didChange; the finding must go away.
  result.cleared = vim.wait(30000, function() return #vim.diagnostic.get(bufnr) == 0 end, 50)

  vim.lsp.stop_client(client_id)
  vim.wait(5000, function() return result.exit_code ~= nil end, 50)
end)

if not ok then table.insert(result.errors, tostring(err)) end
finish()
