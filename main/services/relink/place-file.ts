import { link, lstat, mkdir, rename, symlink, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { copyFileAtomic } from '../../lib/atomic-write';

export type RelinkMode = 'link' | 'copy' | 'move';

/**
 * Puts a found file where its ref belongs, one file at a time (never a folder: a linked folder would let the
 * library's own writes land in the user's tree, while every writer of the app replaces a file by rename, which
 * replaces a link instead of writing through it). `link`: a hard link on the same file system, else a symbolic
 * link, said as such. `copy`: under a temporary name, fsynced, renamed. `move`: a rename, or a copy then delete
 * across file systems. Returns how it was placed.
 */
export async function placeFile(from: string, to: string, mode: RelinkMode): Promise<string> {
  const source = await lstat(from).catch(() => null);
  if (!source?.isFile()) throw new Error(`${from} is no longer there (or is not a plain file)`);
  if (await lstat(to).catch(() => null)) throw new Error(`${to} already exists; it was left as it is`);
  await mkdir(dirname(to), { recursive: true });
  if (mode === 'copy') {
    await copyFileAtomic(from, to);
    return 'copy';
  }
  try {
    if (mode === 'link') await link(from, to);
    else await rename(from, to);
    return mode === 'link' ? 'hard link' : 'move';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
  }
  if (mode === 'link') {
    await symlink(from, to);
    return 'symbolic link (another file system)';
  }
  await copyFileAtomic(from, to);
  await unlink(from);
  return 'move (copied across file systems)';
}
