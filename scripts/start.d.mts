// Types of scripts/start.mjs for the tests that import it.
export const demoRoot: string;
export const demoFolder: string;
export function prepareDemo(options?: { keep?: boolean; from?: string; to?: string }): 'copied' | 'refreshed' | 'kept';
