// The notebook of the "done means": a definition, the mistake, the right way, prose, and
// asyncio.run; written as Jupyter writes a notebook (one-space indentation, sources as lists of
// lines, non-ASCII as is, a final newline).
export type Cell = { cell_type: string; source: string | string[]; [key: string]: unknown };

export const code = (source: string | string[], extra: object = {}): Cell => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source, ...extra });
export const markdown = (source: string | string[]): Cell => ({ cell_type: 'markdown', metadata: {}, source });
const METADATA = { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' }, language_info: { name: 'python' } };

export const ipynb = (cells: Cell[], indent = 1) => JSON.stringify({ cells, metadata: METADATA, nbformat: 4, nbformat_minor: 5 }, null, indent) + '\n';

export const BASICS = ipynb([
  code(['import asyncio\n', '\n', '\n', 'async def nested():\n', '    return 42']),
  code(['nested()']),
  code(['print(await nested())'], { execution_count: 3, outputs: [{ name: 'stdout', output_type: 'stream', text: ['42\n'] }] }),
  markdown(['## Running a loop yourself\n', '“asyncio.run()” starts one; the kernel already has one.']),
  code(['asyncio.run(nested())']),
]);

/** The same notebook after `check --fix`: only cell 2 changed. */
export const BASICS_FIXED = BASICS.replace('"nested()"', '"await nested()"');
