import { lstat, opendir } from 'node:fs/promises';
import { join } from 'node:path';
import type { LibraryUsage } from '../../../shared/api/models';
import type { JobContext } from '../jobs/job-runner';

/**
 * Walks the library folder and sums bytes per top-level entry. Links are counted, never followed,
 * so a media root linked in from elsewhere is not measured twice nor walked out of the library.
 */
export async function measureUsage(root: string, context: Pick<JobContext, 'signal' | 'report'>): Promise<LibraryUsage> {
  const folders = new Map<string, { bytes: number; files: number }>();
  let files = 0;
  let bytes = 0;
  const stack: Array<{ dir: string; top: string | null }> = [{ dir: root, top: null }];
  while (stack.length > 0) {
    const { dir, top } = stack.pop() as { dir: string; top: string | null };
    context.signal.throwIfAborted();
    const handle = await opendir(dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'EACCES') return null;
      throw error;
    });
    if (!handle) continue;
    for await (const entry of handle) {
      const path = join(dir, entry.name);
      const bucket = top ?? entry.name;
      if (entry.isDirectory()) {
        stack.push({ dir: path, top: bucket });
        if (!folders.has(bucket)) folders.set(bucket, { bytes: 0, files: 0 });
        continue;
      }
      const info = await lstat(path).catch(() => null);
      if (!info) continue;
      const slot = folders.get(bucket) ?? { bytes: 0, files: 0 };
      slot.bytes += info.size;
      slot.files += 1;
      folders.set(bucket, slot);
      bytes += info.size;
      files += 1;
      if (files % 500 === 0) context.report({ done: files, message: `${files.toLocaleString('en-US')} files counted` });
    }
  }
  context.report({ done: files, total: files, message: `${files.toLocaleString('en-US')} files counted` });
  return {
    measuredAt: new Date().toISOString(),
    bytes,
    files,
    folders: [...folders.entries()].map(([name, v]) => ({ name, ...v })).sort((a, b) => b.bytes - a.bytes),
  };
}
