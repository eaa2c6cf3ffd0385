import { closeSync, openSync, readSync } from 'node:fs';
import { link, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { copyFileAtomic } from '../../lib/atomic-write';
import type { LibraryDatabase } from '../library/db';
import { AnnotationStore } from './annotation-store';

/**
 * The library keeps each ingested annotation file once, named by content (annotations/.objects/<sha256>.json);
 * records point into it by byte offset. annotations/<repo path> is a readable link to the current version.
 */
export const OBJECTS_FOLDER = '.objects';

export function objectPath(annotationsDir: string, sha256: string): string {
  return join(annotationsDir, OBJECTS_FOLDER, `${sha256}.json`);
}

/** Points annotations/<repo path> at the current version (a hard link, or a copy where links are not possible). */
export async function linkReadableCopy(annotationsDir: string, repoPath: string, sha256: string): Promise<void> {
  const target = join(annotationsDir, repoPath);
  const temp = `${target}.linking`;
  await mkdir(dirname(target), { recursive: true });
  await rm(temp, { force: true });
  try {
    await link(objectPath(annotationsDir, sha256), temp);
    await rename(temp, target);
  } catch {
    await rm(temp, { force: true });
    await copyFileAtomic(objectPath(annotationsDir, sha256), target);
  }
}

/** Removes copies no current or in-progress version needs. */
export async function collectObjects(db: LibraryDatabase, annotationsDir: string): Promise<number> {
  const live = new AnnotationStore(db).liveShas();
  const folder = join(annotationsDir, OBJECTS_FOLDER);
  let removed = 0;
  for (const name of await readdir(folder).catch(() => [] as string[])) {
    const sha = name.replace(/\.json$/, '');
    if (!live.has(sha) && !name.startsWith('.')) {
      await rm(join(folder, name), { force: true });
      removed++;
    }
  }
  return removed;
}

/** The JSON text of record `idx` of a subset's current version, exactly as in the file. */
export function readRecordText(db: LibraryDatabase, annotationsDir: string, subsetId: string, idx: number): string | null {
  const row = db
    .prepare(
      `SELECT f.sha256 AS sha256, r.rec_offset AS offset, r.rec_length AS length FROM records r JOIN annotation_files f ON f.id = r.file_id
       WHERE f.subset_id = ? AND f.state = 'current' AND r.idx = ?`,
    )
    .get(subsetId, idx) as { sha256: string; offset: number; length: number } | undefined;
  if (!row) return null;
  const fd = openSync(objectPath(annotationsDir, row.sha256), 'r');
  try {
    const buffer = Buffer.alloc(row.length);
    readSync(fd, buffer, 0, row.length, row.offset);
    return buffer.toString('utf8');
  } finally {
    closeSync(fd);
  }
}
