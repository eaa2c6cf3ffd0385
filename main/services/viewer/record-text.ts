import { closeSync, openSync, readSync } from 'node:fs';
import { conversationTurns } from '../../../shared/catalog/record-turns';
import { objectPath } from '../annotations/annotation-objects';

export interface RecordSlice {
  sha256: string;
  offset: number;
  length: number;
}

/** A record longer than this is not read for a list row's line (its text is shown when it is opened). */
const MAX_ROW_RECORD_BYTES = 1024 * 1024;
const LINE_CHARS = 240;

/**
 * The records of a page of rows, read from the library's copies of their annotation files: one open per file, not
 * per row. A copy that cannot be read gives null for its rows (the list still shows them; the sample pane says why).
 */
export function readRecordSlices(annotationsDir: string, slices: readonly RecordSlice[], maxBytes = MAX_ROW_RECORD_BYTES): (string | null)[] {
  const out: (string | null)[] = new Array(slices.length).fill(null);
  const bySha = new Map<string, number[]>();
  slices.forEach((s, i) => {
    const list = bySha.get(s.sha256);
    if (list) list.push(i);
    else bySha.set(s.sha256, [i]);
  });
  for (const [sha, rows] of bySha) {
    let fd: number;
    try {
      fd = openSync(objectPath(annotationsDir, sha), 'r');
    } catch {
      continue;
    }
    try {
      for (const i of rows) {
        const s = slices[i] as RecordSlice;
        if (s.length > maxBytes) continue;
        const buffer = Buffer.alloc(s.length);
        readSync(fd, buffer, 0, s.length, s.offset);
        out[i] = buffer.toString('utf8');
      }
    } catch {
      // a copy shorter than its rows say: the rows read so far stand
    } finally {
      closeSync(fd);
    }
  }
  return out;
}

/** A list row's line: the first question, or the instruction when the question is empty; on one line, cut short. */
export function firstQuestion(recordText: string | null): string {
  if (!recordText) return '';
  let record: unknown;
  try {
    record = JSON.parse(recordText);
  } catch {
    return '';
  }
  const first = conversationTurns(record)[0];
  if (!first) return '';
  const pick = [first.q, first.i, first.a].find((v): v is string => typeof v === 'string' && v.trim() !== '') ?? '';
  const line = pick.replace(/\s+/g, ' ').trim();
  return line.length > LINE_CHARS ? `${line.slice(0, LINE_CHARS - 1)}…` : line;
}

/** All the words of a conversation as one text, turn by turn: what the full-text index holds for a record. */
export function conversationText(record: unknown): string {
  const parts: string[] = [];
  for (const turn of conversationTurns(record)) {
    for (const v of [turn.i, turn.q, turn.a]) if (typeof v === 'string' && v !== '') parts.push(v);
  }
  return parts.join('\n');
}
