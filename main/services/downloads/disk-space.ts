import { existsSync, statfsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { ApiError } from '../../../shared/api/errors';
import type { DownloadRow } from './download-ledger';

export const human = (bytes: number) => (bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(1)} MB`);

/** The nearest folder that exists on the way to `path` (a source's folders are made when the first file lands). */
function existing(path: string): string {
  let at = path;
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  return at;
}

/** Free bytes and the device of the file system holding `path`; null when it cannot be asked. */
function volumeOf(path: string): { free: number; dev: number } | null {
  try {
    const at = existing(path);
    const fs = statfsSync(at);
    return { free: fs.bavail * fs.bsize, dev: statSync(at).dev };
  } catch {
    return null;
  }
}

/**
 * Refuses a start whose known sizes do not fit, with the numbers: what is left to download (into `downloads`), and
 * room to extract every archive not extracted yet (into `media`: at least the archive's own size). When both are on
 * one file system they must fit together, since the archive stays until its extraction is done. Unknown sizes are
 * checked as they arrive (ENOSPC).
 */
export function checkSpace(downloads: string, media: string, rows: readonly DownloadRow[]): void {
  const size = (r: DownloadRow) => r.total ?? r.expectedSize ?? 0;
  const download = rows.filter((r) => r.state !== 'done').reduce((sum, r) => sum + Math.max(0, size(r) - r.bytes), 0);
  const extract = rows.filter((r) => r.extractedAt === null && r.place !== 'root').reduce((sum, r) => sum + size(r), 0);
  const into = volumeOf(downloads);
  const out = volumeOf(media);
  if (!into || !out) return;
  const refuse = (need: number, free: number, what: string, folder: string) => {
    throw new ApiError(
      'DISK_FULL',
      `the downloads need ${human(need)} (${what}) and ${folder} has ${human(free)} free; free ${human(need - free)} or more (or point the library's media elsewhere), then start again.`,
    );
  };
  if (into.dev === out.dev) {
    if (download + extract > into.free) refuse(download + extract, into.free, `${human(download)} to download, ${human(extract)} to extract`, downloads);
    return;
  }
  if (download > into.free) refuse(download, into.free, `${human(download)} to download`, downloads);
  if (extract > out.free) refuse(extract, out.free, `${human(extract)} to extract`, media);
}
