import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ApiError } from '../../../shared/api/errors';
import { backoffMs, REQUEST_BACKOFF } from '../../lib/backoff';
import { defaultSleep, type HubClient, type HubFile } from './hub-client';

export interface DownloadOptions {
  commit: string;
  file: HubFile;
  /** Final path; nothing is ever written there until the content is verified. */
  target: string;
  signal?: AbortSignal;
  onProgress?: (bytes: number, total: number) => void;
  maxAttempts?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

interface PartialMeta {
  commit: string;
  oid: string;
  sha256: string | null;
  size: number;
}

/** sha256 (LFS files) or git blob sha1 (small files kept in git) of a file on disk. */
async function digestOf(path: string, file: HubFile): Promise<string> {
  const hash = file.sha256 ? createHash('sha256') : createHash('sha1').update(`blob ${file.size}\0`);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function sizeOf(path: string): Promise<number> {
  return stat(path).then(
    (s) => s.size,
    () => 0,
  );
}

/**
 * Downloads one file from `resolve/<commit>/<path>`: into a hidden `.partial` file, resumed with Range after a
 * drop or a restart, verified against the listing's size and hash, then fsynced and renamed into place.
 */
export async function downloadHubFile(client: HubClient, options: DownloadOptions): Promise<void> {
  const { file, target } = options;
  const partial = join(dirname(target), `.${basename(target)}.partial`);
  const metaPath = `${partial}.json`;
  const want: PartialMeta = { commit: options.commit, oid: file.oid, sha256: file.sha256, size: file.size };
  const url = client.resolveUrl(options.commit, file.path);
  const sleep = options.sleep ?? defaultSleep;
  const attempts = options.maxAttempts ?? 5;

  // A partial left by an earlier run is resumed only if it is for the same content.
  const previous = await readFile(metaPath, 'utf8').then(
    (t) => JSON.parse(t) as PartialMeta,
    () => null,
  );
  if (!previous || previous.oid !== want.oid || previous.sha256 !== want.sha256 || previous.size !== want.size) {
    await rm(partial, { force: true });
    await writeFile(metaPath, JSON.stringify(want));
  }

  let corruptSeen = false;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    options.signal?.throwIfAborted();
    let have = await sizeOf(partial);
    if (have > file.size) {
      await rm(partial, { force: true });
      have = 0;
    }
    if (have < file.size || file.size === 0) {
      try {
        await fetchInto(client, url, partial, have, file.size, options);
      } catch (error) {
        if (options.signal?.aborted) throw options.signal.reason;
        if (error instanceof ApiError && error.code !== 'HUB_UNAVAILABLE') throw error;
        await sleep(backoffMs(attempt, REQUEST_BACKOFF), options.signal);
        continue;
      }
    }
    const got = await sizeOf(partial);
    const digest = await digestOf(partial, file);
    const expected = file.sha256 ?? file.oid;
    if (got === file.size && digest === expected) {
      const handle = await open(partial, 'r+');
      await handle.sync();
      await handle.close();
      await rename(partial, target);
      await rm(metaPath, { force: true });
      return;
    }
    await rm(partial, { force: true });
    if (corruptSeen) {
      throw new ApiError(
        'DOWNLOAD_CORRUPT',
        `${url}: the downloaded file does not match the Hub's listing twice in a row (expected ${file.size} bytes with ${file.sha256 ? 'sha256' : 'git oid'} ${expected}, got ${got} bytes with ${digest}). It was discarded; try again later or check the endpoint/mirror.`,
      );
    }
    corruptSeen = true;
  }
  throw new ApiError('HUB_UNAVAILABLE', `${url}: the download kept failing after ${attempts} attempts; what arrived is kept and the next try resumes it.`);
}

async function fetchInto(client: HubClient, url: string, partial: string, have: number, total: number, options: DownloadOptions): Promise<void> {
  // identity: a compressed transfer would make byte ranges and the listing's size refer to different bytes.
  const headers: Record<string, string> = { 'Accept-Encoding': 'identity' };
  if (have > 0) headers.Range = `bytes=${have}-`;
  const response = await client.request(url, { signal: options.signal, headers });
  // 200 to a Range request means the server sent the whole file: start over rather than append a second copy.
  const append = have > 0 && response.status === 206;
  const handle = await open(partial, append ? 'a' : 'w');
  let bytes = append ? have : 0;
  try {
    if (!response.body) throw new ApiError('HUB_UNAVAILABLE', `${url}: empty response body`);
    for await (const chunk of response.body) {
      await handle.write(chunk);
      bytes += chunk.byteLength;
      options.onProgress?.(bytes, total);
    }
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError('HUB_UNAVAILABLE', `${url}: the connection dropped after ${bytes} of ${total} bytes (${(error as Error).message})`);
  } finally {
    await handle.close();
  }
}
