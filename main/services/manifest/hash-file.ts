import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';

export interface FileHash {
  sha256: string;
  size: number;
  mtimeMs: number;
}

const CHUNK = 1 << 20;

/**
 * A file's sha256, read in 1 MiB chunks into one reused buffer, and the size and mtime it had — taken before and
 * checked after, so a file being written meanwhile is reported rather than hashed half-old, half-new.
 */
export async function hashFile(path: string, signal?: AbortSignal): Promise<FileHash> {
  const before = await stat(path);
  const hash = createHash('sha256');
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    for (let position = 0; ; ) {
      signal?.throwIfAborted();
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, position);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      position += bytesRead;
    }
  } finally {
    await handle.close();
  }
  const after = await stat(path);
  if (after.size !== before.size || after.mtimeMs !== before.mtimeMs)
    throw new Error(`${path} changed while it was being hashed; hash it again once it is complete`);
  return { sha256: hash.digest('hex'), size: after.size, mtimeMs: after.mtimeMs };
}
