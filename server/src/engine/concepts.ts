// Pages that teach an idea rather than a rule (docs/concepts/ID.md and ID.zh-CN.md). The
// explanation view and `asyncguard rule ID` show them like rule pages; rule pages link to them.
export interface ConceptMeta {
  id: string;
  /** The page's title, for pickers and the view's tab. */
  title: string;
  summary: string;
}

export const CONCEPTS: readonly ConceptMeta[] = [
  {
    id: 'concurrency',
    title: 'Running awaits concurrently',
    summary: 'Coroutines, Tasks and Futures, and why awaits one after another take the sum of their times.',
  },
  {
    id: 'fix-safety',
    title: 'Fix safety',
    summary: 'Which fixes --fix and Fix All apply unread, which stay in the light bulb, and why.',
  },
];

export const CONCEPT_IDS: readonly string[] = CONCEPTS.map((c) => c.id);

export function conceptMeta(id: string): ConceptMeta | undefined {
  return CONCEPTS.find((c) => c.id === id);
}
