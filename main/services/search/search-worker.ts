import { serveTasks } from '../../lib/worker-tasks';
import { readJsonArrayBatches } from '../annotations/json-array-reader';
import { conversationText } from '../viewer/record-text';
import { type SearchTasks, TEXTS_PER_BATCH, type TextBatch } from './search-tasks';

// A text worker: reads a library copy of an annotation file and hands the engine each record's conversation as
// one text, in batches, for the full-text index. Parsing the conversations is most of a build's work, and it
// happens here, off the thread that answers the UI; the engine only writes the index.

serveTasks<SearchTasks>({
  async texts(task, { emit, signal }) {
    let batch: TextBatch | null = null;
    let records = 0;
    for await (const elements of readJsonArrayBatches(task.file, { pick: { full: ['QA'], shallow: [] } })) {
      signal.throwIfAborted();
      for (const e of elements) {
        records = e.index + 1;
        if (e.index < task.fromIndex) continue;
        if (!batch) batch = { firstIndex: e.index, texts: [] };
        batch.texts.push(conversationText(e.value));
        if (batch.texts.length >= TEXTS_PER_BATCH) {
          await emit(batch);
          batch = null;
        }
      }
    }
    if (batch) await emit(batch);
    return { records };
  },
});
