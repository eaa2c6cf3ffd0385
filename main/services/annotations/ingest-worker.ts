import { subsetById } from '../../../shared/catalog/index';
import { serveTasks, type TaskSpec } from '../../lib/worker-tasks';
import { type ParseSummary, parseRecords, type RecordBatch } from './parse-records';

// A parse worker: reads one annotation file after another and sends its records to the engine in batches. It
// never opens the library: the engine's connection is the only writer (see ingest-file.ts). One worker serves a
// whole job, since starting one per file would cost more than small files take.

export interface ParseTask {
  file: string;
  subsetId: string;
  totalBytes: number;
}

export type IngestTasks = {
  /** The file's records as a stream of batches (held at most BATCHES_AHEAD ahead of the writer), then its summary. */
  parse: TaskSpec<ParseTask, ParseSummary, RecordBatch>;
};

serveTasks<IngestTasks>({
  async parse(task, { emit }) {
    const subset = subsetById(task.subsetId);
    if (!subset) throw new Error(`unknown subset ${task.subsetId}`);
    const source = parseRecords(task.file, subset, task.totalBytes);
    try {
      for (let step = await source.next(); ; step = await source.next()) {
        if (step.done) return step.value;
        const batch = step.value;
        // The number columns are fresh buffers (slices): moved, not copied.
        await emit(batch, [batch.start.buffer, batch.end.buffer, batch.offset.buffer, batch.length.buffer]);
      }
    } finally {
      // Stopped part-way (a cancel): the reader closes its file.
      await source.return(undefined as unknown as ParseSummary).catch(() => undefined);
    }
  },
});
