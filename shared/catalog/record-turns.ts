/** One turn of a VideoChat2-IT record's conversation: instruction, question, answer (catalog.md, record format). */
export interface Turn {
  i?: unknown;
  q?: unknown;
  a?: unknown;
}

/** The turns of a record (QA: [{i, q, a}]); anything else is no turns. Read alike by the index, the list and the pane. */
export function conversationTurns(record: unknown): Turn[] {
  if (!record || typeof record !== 'object') return [];
  const qa = (record as { QA?: unknown }).QA;
  return Array.isArray(qa) ? qa.filter((t): t is Turn => !!t && typeof t === 'object') : [];
}
