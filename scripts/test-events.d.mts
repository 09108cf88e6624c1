// Types of scripts/test-events.mjs for the tests that import it.
export default function testEvents(source: AsyncIterable<unknown>): AsyncGenerator<string>;
export function summary(jsonLines: string, root?: string): string;
