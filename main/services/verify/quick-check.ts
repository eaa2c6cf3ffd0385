import { readdirSync, type Stats } from 'node:fs';

export type QuickResult = { ok: true } | { ok: false; detail: string };

/** The quick level: a regular non-empty file, or a frame folder with at least one file in it. */
export function quickCheck(path: string, stats: Stats, expectFolder: boolean): QuickResult {
  if (expectFolder) {
    if (!stats.isDirectory()) return { ok: false, detail: 'expected a folder of frames, found a file' };
    let frames: number;
    try {
      frames = readdirSync(path, { withFileTypes: true }).filter((e) => e.isFile()).length;
    } catch (error) {
      // Gone or unreadable since it was found: a verdict for this media, not a failed verify.
      return { ok: false, detail: `the frame folder could not be read: ${(error as Error).message}` };
    }
    return frames > 0 ? { ok: true } : { ok: false, detail: 'the frame folder is empty' };
  }
  if (stats.isDirectory()) return { ok: false, detail: 'expected a file, found a folder' };
  if (!stats.isFile()) return { ok: false, detail: 'not a regular file' };
  if (stats.size === 0) return { ok: false, detail: 'the file is empty (0 bytes)' };
  return { ok: true };
}
