import { describe, expect, it } from 'vitest';
import { sourceById } from '../../../shared/catalog/index';
import type { Route } from '../../../shared/catalog/schema';
import { m3itTasks, taskFile } from './task-files';

const route = sourceById('m3it')?.acquire.route as Extract<Route, { kind: 'hf' }>;
const listed = (...paths: string[]) => paths.map((path) => ({ path, size: 10, sha256: null }));

describe('which M3IT file holds a task', () => {
  it('knows the 16 tasks the subsets use, by their config names', () => {
    const tasks = m3itTasks().map((t) => t.task);
    expect(tasks).toHaveLength(16);
    expect(tasks).toEqual(expect.arrayContaining(['vqa-v2', 'coco-itm', 'image-paragraph-captioning', 'science-qa', 'a-okvqa']));
  });

  it("takes the route's path, else the task's folder by its config name (- or _, an alias), never a rephrased split", () => {
    const listing = listed(
      'data/vqa/vqav2/train.jsonl',
      'data/vqa/vqav2/train_2023-10-07.jsonl',
      'data/classification/itm/train.jsonl',
      'data/vqa/a-okvqa/train.jsonl',
      'data/vqa/a-okvqa/val.jsonl',
      'data/reasoning/science_qa/science_qa_train.jsonl',
      'data/vqa/okvqa/train_v2.jsonl',
    );
    expect(taskFile(route, listing, 'vqa-v2')).toMatchObject({ file: { path: 'data/vqa/vqav2/train.jsonl' }, how: expect.stringMatching(/route/) });
    expect(taskFile(route, listing, 'coco-itm')).toMatchObject({ file: { path: 'data/classification/itm/train.jsonl' } });
    expect(taskFile(route, listing, 'a-okvqa')).toMatchObject({ file: { path: 'data/vqa/a-okvqa/train.jsonl' }, how: expect.stringMatching(/listing/) });
    expect(taskFile(route, listing, 'science-qa')).toMatchObject({ file: { path: 'data/reasoning/science_qa/science_qa_train.jsonl' } });
    // okvqa has only the paraphrased file: no guess.
    expect(taskFile(route, listing, 'okvqa')).toMatchObject({
      file: null,
      reason: expect.stringMatching(/no train\.jsonl in the repo's okvqa folder \(it has data\/vqa\/okvqa\/train_v2\.jsonl\)/),
    });
    expect(taskFile(route, listing, 'gqa')).toMatchObject({ file: null, reason: expect.stringMatching(/no data\/<category>\/gqa\/ folder/) });
  });

  it('names two candidates instead of picking one', () => {
    const listing = listed('data/vqa/text-vqa/train.jsonl', 'data/vqa/text_vqa/train.jsonl');
    expect(taskFile(route, listing, 'text-vqa')).toMatchObject({
      file: null,
      reason: expect.stringMatching(/more than one train file .*text-vqa\/train\.jsonl, data\/vqa\/text_vqa\/train\.jsonl/),
    });
  });
});
