import type { Subset } from '../../../shared/catalog/schema';
import type { FieldPick } from './json-array-reader';

export type RecordFlag = 'no-media-key' | 'empty-ref' | 'bad-ref-type' | 'unsafe-ref' | 'not-an-object' | 'no-qa';

export interface RecordFields {
  /** The media ref to store and resolve later; null when the record has none usable. */
  ref: string | null;
  /** What the record held instead, when that is not a usable ref (for the report). */
  rawRef: string | null;
  start: number | null;
  end: number | null;
  flag: RecordFlag | null;
}

/** A ref that would leave its source root: `..` segments, absolute paths, drive letters, NUL. */
export function isUnsafeRef(ref: string): boolean {
  const first = ref.charCodeAt(0);
  if (first === 0x2f || first === 0x5c || ref.includes('\0')) return true;
  if (ref.charCodeAt(1) === 0x3a && /^[A-Za-z]:[\\/]/.test(ref)) return true;
  // Runs once per record over millions: split only when a '..' is there at all.
  return ref.includes('..') && ref.split(/[\\/]/).includes('..');
}

function seconds(value: unknown): number | null {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : null;
}

/**
 * The top-level keys recordFields reads, and QA only for its length: the reader builds just these and skips the
 * texts, which are most of a record's bytes (issue 11).
 */
export function recordKeys(subset: Pick<Subset, 'mediaKey'>): FieldPick {
  return { full: subset.mediaKey ? [subset.mediaKey, 'start', 'end'] : ['start', 'end'], shallow: ['QA'] };
}

/**
 * The parts of one annotation record the library keeps. Nothing here throws: a record that is odd in any way is
 * kept with a flag, because upstream's loader would silently skip or swap it and the user needs to see it.
 */
export function recordFields(value: unknown, subset: Pick<Subset, 'mediaKey'>): RecordFields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ref: null, rawRef: JSON.stringify(value)?.slice(0, 200) ?? null, start: null, end: null, flag: 'not-an-object' };
  }
  const record = value as Record<string, unknown>;
  const qa = record.QA;
  let flag: RecordFlag | null = Array.isArray(qa) && qa.length > 0 ? null : 'no-qa';
  let ref: string | null = null;
  let rawRef: string | null = null;
  if (subset.mediaKey) {
    const raw = record[subset.mediaKey];
    if (!(subset.mediaKey in record)) flag = 'no-media-key';
    else if (typeof raw !== 'string') {
      flag = raw === null ? 'empty-ref' : 'bad-ref-type';
      rawRef = JSON.stringify(raw)?.slice(0, 200) ?? null;
    } else if (raw.trim() === '' || raw.trim() === 'None') {
      flag = 'empty-ref';
      rawRef = raw;
    } else {
      ref = raw;
      if (isUnsafeRef(raw)) flag = 'unsafe-ref';
    }
  }
  return { ref, rawRef, start: seconds(record.start), end: seconds(record.end), flag };
}
