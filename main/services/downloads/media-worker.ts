import { join } from 'node:path';
import { RateLimiter } from '../../lib/rate-limit';
import { serveTasks } from '../../lib/worker-tasks';
import { extractTar } from '../extract/extract-tar';
import { extractZip } from '../extract/extract-zip';
import { decodeM3itTask, existingImages, sweepPartials } from '../m3it/decode-task';
import { countLines, lineCuts } from '../m3it/jsonl-lines';
import { hashFile } from '../manifest/hash-file';
import { planClips } from './clip-table';
import { fetchFile } from './fetch-file';
import type { MediaTasks } from './media-tasks';

// The media worker: every transfer of a download job (hashing each byte as it arrives) and every extraction
// (inflating, checking CRCs, writing) runs here, so the engine's thread stays free to answer the UI. One per job.

/** Progress at most every 100 ms: a 1 GB file would otherwise send tens of thousands of messages. */
function throttled<E>(emit: (event: E) => Promise<void>): (event: E) => void {
  let last = 0;
  return (event) => {
    const now = Date.now();
    if (now - last < 100) return;
    last = now;
    void emit(event).catch(() => undefined);
  };
}

/** One bucket for every transfer of the worker's job, so the limit holds however many run at once. */
let limiter: RateLimiter | null = null;

serveTasks<MediaTasks>({
  fetch: ({ bytesPerSecond, ...input }, { signal, emit }) => {
    const progress = throttled(emit);
    if (bytesPerSecond === null) limiter = null;
    else if (limiter) limiter.setRate(bytesPerSecond);
    else limiter = new RateLimiter(bytesPerSecond);
    return fetchFile({ ...input, signal, limiter, onProgress: (bytes, total) => progress({ bytes, total }) });
  },
  clipPlan: ({ tables, columns, needed, root }, { signal, emit }) => planClips(tables, columns, needed, root, { signal, onProgress: throttled(emit) }),
  m3itPrepare: async ({ file, outDir, parts }) => {
    const folder = join(outDir, 'train');
    const swept = await sweepPartials(folder);
    return { cuts: await lineCuts(file, parts), existing: await existingImages(folder), swept };
  },
  m3itCount: ({ file, range }) => countLines(file, range),
  sha256: ({ path }, { signal }) => hashFile(path, signal),
  m3itDecode: ({ file, outDir, range, keep, existing }, { signal, emit }) =>
    decodeM3itTask({ file, outDir, range, keep: new Set(keep), existing, signal, onProgress: throttled(emit) }),
  extract: ({ format, archive, dest }, { signal, emit }) => {
    const onProgress = throttled(emit);
    return format === 'zip' ? extractZip(archive, dest, { signal, onProgress }) : extractTar(archive, dest, { signal, onProgress });
  },
});
