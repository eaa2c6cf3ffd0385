import { describe, expect, it } from 'vitest';
import { checkTask, refIndex, sameText } from './task-check';

const kept = new Map([
  [0, { instruction: 'Answer the question.', inputs: 'What colour is the bus?', outputs: 'Red.' }],
  [5, { instruction: 'Answer the question.', inputs: 'How many dogs?', outputs: 'Two' }],
  [9, { instruction: 'Answer the question.', inputs: 'What is on the table?', outputs: 'A cup of tea.' }],
]);

describe('the M3IT index check', () => {
  it('reads only train/<i>.jpg refs as indices', () => {
    expect(refIndex('train/39065.jpg')).toBe(39065);
    expect(refIndex('train/0.jpg')).toBe(0);
    for (const ref of ['train/01.jpg', 'val/3.jpg', 'train/3.png', 'train/-1.jpg', '39065.jpg']) expect(refIndex(ref)).toBeNull();
  });

  it('compares texts loosely: case, spacing, punctuation and added framing aside', () => {
    expect(sameText('The answer is: red', 'Red.')).toBe(true);
    expect(sameText('two', 'Two')).toBe(true);
    expect(sameText('a cup of coffee', 'A cup of tea.')).toBe(false);
  });

  it('passes a task whose annotations use indices it has and whose records match', () => {
    const check = checkTask({
      task: 'vqa-v2',
      records: 10,
      refs: ['train/0.jpg', 'train/5.jpg', 'train/9.jpg', 'train/5.jpg'],
      samples: [
        { index: 0, question: 'What colour is the bus?', answer: 'The answer is red.' },
        { index: 5, question: '', answer: 'two' },
      ],
      kept,
    });
    expect(check).toMatchObject({ records: 10, highestUsed: 9, used: 3, beyond: { count: 0 }, spotChecked: 2, mismatched: { count: 0 }, verdict: 'ok' });
  });

  it('reports indices past the end, refs of another shape and records that do not match, with examples', () => {
    const check = checkTask({
      task: 'clevr',
      records: 8,
      refs: ['train/0.jpg', 'train/9.jpg', 'train/12.jpg', 'images/CLEVR_train_000001.png'],
      samples: [
        { index: 0, question: 'What colour is the bus?', answer: 'Red' },
        { index: 9, question: 'What is on the table?', answer: 'A cup of coffee.' },
      ],
      kept,
    });
    expect(check.verdict).toBe('mismatch');
    expect(check.beyond).toEqual({ count: 2, examples: [9, 12] });
    expect(check.unexpectedRefs).toEqual({ count: 1, examples: ['images/CLEVR_train_000001.png'] });
    expect(check.mismatched).toEqual({
      count: 1,
      examples: [
        {
          index: 9,
          annotation: { question: 'What is on the table?', answer: 'A cup of coffee.' },
          m3it: { inputs: 'What is on the table?', outputs: 'A cup of tea.' },
        },
      ],
    });
  });
});
