import type { TaskWorker } from '../../lib/worker-tasks';
import type { MediaTasks } from '../downloads/media-tasks';
import type { DecodeSummary, M3itRecordText } from './decode-task';

/** One task's decode over every worker it is given: the file cut at lines into a range each, the summaries joined. */
export async function decodeOnWorkers(options: {
  workers: ReadonlyArray<TaskWorker<MediaTasks>>;
  file: string;
  outDir: string;
  keep: readonly number[];
  signal: AbortSignal;
  /** Records read so far, over every range. */
  onProgress: (records: number) => void;
}): Promise<DecodeSummary & { swept: number }> {
  const [first] = options.workers;
  if (!first) throw new Error('decodeOnWorkers needs a worker');
  const prepared = await first.run('m3itPrepare', { file: options.file, outDir: options.outDir, parts: options.workers.length }, { signal: options.signal });
  const workerFor = (k: number) => options.workers[k % options.workers.length] as TaskWorker<MediaTasks>;
  // Range 0 starts decoding at once; meanwhile worker k+1 counts range k's records, and range k+1 starts once every
  // range before it is counted (its first index is their sum).
  const counts = prepared.cuts.slice(0, -1).map((range, k) => workerFor(k + 1).run('m3itCount', { file: options.file, range }, { signal: options.signal }));
  const progress = prepared.cuts.map(() => 0);
  const parts = await Promise.all(
    prepared.cuts.map(async (cut, k) => {
      const firstIndex = (await Promise.all(counts.slice(0, k))).reduce((a, b) => a + b, 0);
      return workerFor(k).run(
        'm3itDecode',
        {
          file: options.file,
          outDir: options.outDir,
          range: { ...cut, firstIndex },
          keep: options.keep,
          existing: prepared.existing,
        },
        {
          signal: options.signal,
          onEvent: (records) => {
            progress[k] = records;
            options.onProgress(progress.reduce((a, b) => a + b, 0));
          },
        },
      );
    }),
  );
  const kept = new Map<number, M3itRecordText>();
  for (const part of parts) for (const [i, text] of part.kept) kept.set(i, text);
  return {
    records: parts.reduce((n, p) => n + p.records, 0),
    written: parts.reduce((n, p) => n + p.written, 0),
    unchanged: parts.reduce((n, p) => n + p.unchanged, 0),
    notJpeg: parts.flatMap((p) => p.notJpeg),
    problems: parts.flatMap((p) => p.problems),
    kept,
    swept: prepared.swept,
  };
}
