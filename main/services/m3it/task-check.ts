import type { M3itRecordText } from './decode-task';

/** The record index of an M3IT ref (`train/39065.jpg` → 39065); null for a ref of another shape. */
export function refIndex(ref: string): number | null {
  const m = /^train\/(0|[1-9]\d*)\.jpg$/.exec(ref);
  return m ? Number(m[1]) : null;
}

/** Text compared loosely: case, spacing and punctuation aside. */
export function looseText(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Whether an annotation's text and M3IT's say the same (equal, or one holding the other: prompts add framing). */
export function sameText(a: string, b: string): boolean {
  const x = looseText(a);
  const y = looseText(b);
  if (x === '' || y === '') return x === y;
  return x === y || x.includes(y) || y.includes(x);
}

export interface AnnotationSample {
  index: number;
  question: string;
  answer: string;
}

export interface TaskCheck {
  task: string;
  /** Records in the task's JSONL. */
  records: number;
  /** The highest record index the annotations use, and how many distinct ones they use. */
  highestUsed: number | null;
  used: number;
  /** Indices the annotations use that the JSONL does not have (past its end). */
  beyond: { count: number; examples: number[] };
  /** Refs that do not have the `train/<i>.jpg` shape. */
  unexpectedRefs: { count: number; examples: string[] };
  /** Annotation records compared with the M3IT record at their index, and those that do not match. */
  spotChecked: number;
  mismatched: {
    count: number;
    examples: Array<{ index: number; annotation: { question: string; answer: string }; m3it: { inputs: string; outputs: string } }>;
  };
  verdict: 'ok' | 'mismatch';
}

const EXAMPLES = 5;

/**
 * The check of the index rule instead of trust in it (#169 leaves per-task exceptions open): per task, the JSONL's
 * record count against the highest index the annotations use, the indices it does not have, and a spot-check that an
 * annotation's answer (and question, where it has one) is the M3IT record's at that index. Any finding makes the
 * verdict a mismatch, with examples, never a silent guess.
 */
export function checkTask(input: {
  task: string;
  records: number;
  refs: readonly string[];
  samples: readonly AnnotationSample[];
  kept: ReadonlyMap<number, M3itRecordText>;
}): TaskCheck {
  const indices: number[] = [];
  const unexpected: string[] = [];
  for (const ref of input.refs) {
    const i = refIndex(ref);
    if (i === null) unexpected.push(ref);
    else indices.push(i);
  }
  const distinct = [...new Set(indices)].sort((a, b) => a - b);
  const beyond = distinct.filter((i) => i >= input.records);
  const mismatched: TaskCheck['mismatched']['examples'] = [];
  let mismatchCount = 0;
  let spotChecked = 0;
  for (const sample of input.samples) {
    const record = input.kept.get(sample.index);
    if (!record) continue;
    spotChecked++;
    const answerOk = sameText(sample.answer, record.outputs);
    const questionOk = sample.question.trim() === '' || record.inputs.trim() === '' || sameText(sample.question, record.inputs);
    if (answerOk && questionOk) continue;
    mismatchCount++;
    if (mismatched.length < EXAMPLES)
      mismatched.push({
        index: sample.index,
        annotation: { question: sample.question, answer: sample.answer },
        m3it: { inputs: record.inputs, outputs: record.outputs },
      });
  }
  return {
    task: input.task,
    records: input.records,
    highestUsed: distinct.at(-1) ?? null,
    used: distinct.length,
    beyond: { count: beyond.length, examples: beyond.slice(0, EXAMPLES) },
    unexpectedRefs: { count: unexpected.length, examples: unexpected.slice(0, EXAMPLES) },
    spotChecked,
    mismatched: { count: mismatchCount, examples: mismatched },
    verdict: beyond.length > 0 || unexpected.length > 0 || mismatchCount > 0 ? 'mismatch' : 'ok',
  };
}
