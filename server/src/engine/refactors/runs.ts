// What "Run concurrently" does the same way in every language: where a selection (or a cursor)
// points, which run of statements it stands for, and how the action's title states what changes.

/** Offsets into the text: the selection, or a cursor when start === end. */
export interface Selection {
  start: number;
  end: number;
}

/** An awaited call of a run, or a statement between two of them that moves after them. */
export type RunItem<Statement, Call, Effects> = { kind: 'call'; awaited: Call } | { kind: 'between'; statement: Statement; effects: Effects };

/** Where the line holding `offset` starts. */
export function lineStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/**
 * The selection without the white space around it. A cursor in a line's indentation stands for the
 * line's first character, and one just after a line's last character for that character.
 */
export function trimSelection(text: string, selection: Selection): Selection {
  let start = Math.min(selection.start, text.length);
  let end = Math.min(Math.max(selection.end, start), text.length);
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  if (start !== end) return { start, end };
  const from = lineStart(text, start);
  if (/^[ \t]*$/.test(text.slice(from, start))) start = from + /^[ \t]*/.exec(text.slice(from))![0].length;
  else if (start > 0 && (start === text.length || /\s/.test(text[start])) && !/\s/.test(text[start - 1])) start -= 1;
  return { start, end: start };
}

/** At a cursor on `statements[at]`: the longest run of adjacent awaited calls around it that `fits` accepts. */
export function runAround<S, C, E>(
  statements: readonly S[],
  at: number,
  awaitedCallOf: (s: S) => C | undefined,
  fits: (items: RunItem<S, C, E>[]) => boolean,
): RunItem<S, C, E>[] | undefined {
  const here = awaitedCallOf(statements[at]);
  if (!here) return undefined;
  let items: RunItem<S, C, E>[] = [{ kind: 'call', awaited: here }];
  for (let i = at + 1; i < statements.length; i++) {
    const next = awaitedCallOf(statements[i]);
    const longer: RunItem<S, C, E>[] = next ? [...items, { kind: 'call', awaited: next }] : [];
    if (!next || !fits(longer)) break;
    items = longer;
  }
  for (let i = at - 1; i >= 0; i--) {
    const previous = awaitedCallOf(statements[i]);
    const longer: RunItem<S, C, E>[] = previous ? [{ kind: 'call', awaited: previous }, ...items] : [];
    if (!previous || !fits(longer)) break;
    items = longer;
  }
  return items.length >= 2 ? items : undefined;
}

/** The statements of a selection: awaited calls at both ends, statements `effectsOf` accepts between them. */
export function runBetween<S, C, E>(
  statements: readonly S[],
  awaitedCallOf: (s: S) => C | undefined,
  effectsOf: (s: S) => E | undefined,
): RunItem<S, C, E>[] | undefined {
  const items: RunItem<S, C, E>[] = [];
  for (const statement of statements) {
    const awaited = awaitedCallOf(statement);
    if (awaited) {
      items.push({ kind: 'call', awaited });
      continue;
    }
    const effects = effectsOf(statement);
    if (!effects) return undefined;
    items.push({ kind: 'between', statement, effects });
  }
  if (items[0]?.kind !== 'call' || items[items.length - 1]?.kind !== 'call') return undefined;
  return items;
}

/** The awaited calls of a run, in order. */
export function callsOf<S, C, E>(items: readonly RunItem<S, C, E>[]): C[] {
  return items.flatMap((i) => (i.kind === 'call' ? [i.awaited] : []));
}

/** The title: how the calls will run, and what that changes (`count` calls, or a loop's). */
export function runConcurrentlyTitle(how: string, count?: number): string {
  const calls = count === undefined ? 'the calls' : `the ${count} calls`;
  return `Run concurrently${how} (${calls} will overlap in time; whatever they share must allow that)`;
}
