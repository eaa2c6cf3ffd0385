import type { TaskSpec } from '../../lib/worker-tasks';

/** The text worker's tasks (search-worker.ts), apart from the worker so the engine can import them. */
export interface TextsTask {
  file: string;
  /** Records before this index are already in the index (a build that stopped part-way). */
  fromIndex: number;
}

export interface TextBatch {
  firstIndex: number;
  texts: string[];
}

export type SearchTasks = {
  texts: TaskSpec<TextsTask, { records: number }, TextBatch>;
};

/** Records per batch: each is one short write transaction on the engine's side. */
export const TEXTS_PER_BATCH = 500;
/** Batches the worker reads ahead of the writer: a bound on what waits in memory. */
export const TEXT_BATCHES_AHEAD = 16;
