import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  /** File mode of the new file, e.g. 0o600 for secrets; applied before any byte is written. */
  mode?: number;
}

/**
 * Writes a file so that readers see either the old content or the whole new content, never a half-written file:
 * temporary name beside the target, fsync, rename, fsync the folder.
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const dir = dirname(target);
  const temp = join(dir, `.${basename(target)}.${randomBytes(6).toString('hex')}.partial`);
  const handle = await open(temp, 'wx', options.mode ?? 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncFolder(dir);
}

/** fsync of a folder: the renames into it are on the disk once it returns. */
export async function syncFolder(dir: string): Promise<void> {
  // Directory fsync makes the rename itself durable; Windows cannot open folders for this, which is harmless there.
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** fsync of a file, opened read-only: enough to sync, and works when the file kept a read-only mode from its source. */
export async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A complete file under its temporary name goes under its own: synced, renamed, and the rename made durable. */
export async function renameDurably(temp: string, target: string): Promise<void> {
  await syncFile(temp);
  await rename(temp, target);
  await syncFolder(dirname(target));
}

/** Copies a file under a temporary name, fsyncs it and renames it into place. */
export async function copyFileAtomic(from: string, to: string): Promise<void> {
  const dir = dirname(to);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(to)}.${randomBytes(6).toString('hex')}.partial`);
  try {
    await copyFile(from, temp);
    await syncFile(temp);
    await rename(temp, to);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncFolder(dir);
}
