import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { ApiError } from '../../../shared/api/errors';
import type { VerifyLevel } from '../../../shared/api/models';
import { catalog } from '../../../shared/catalog/index';
import { writeFileAtomic } from '../../lib/atomic-write';
import { isInside, realPathOf } from '../../lib/user-path';
import { objectPath } from '../annotations/annotation-objects';
import { PRECUT_FOLDER, PRECUT_SOURCE, precutRef } from '../clips/precut-records';
import type { JobContext } from '../jobs/job-runner';
import type { LibraryDatabase } from '../library/db';
import { type ExportedSubset, pythonConfig } from './python-config';

export interface ExportOptions {
  libraryPath: string;
  annotationsDir: string;
  target: string;
  level: VerifyLevel;
  /** Records with start/end point at their clip in `<library>/precut/` where one was cut, their start/end dropped. */
  precut?: boolean;
  root: (sourceId: string) => string;
}

const RANK: Record<string, number> = { quick: 1, container: 2, decode: 3 };

const PAGE = 5000;

interface Row {
  idx: number;
  offset: number;
  length: number;
  ref: string | null;
  path: string | null;
  status: string | null;
  level: string | null;
  sha256: string;
  start: number | null;
  end: number | null;
}

/**
 * Writes, per subset, a JSON with exactly the records whose media verified at the chosen level (each record as in
 * the original file; its ref rewritten only where a rule found the file elsewhere), and an instruction_data.py.
 */
export async function exportTrainingSet(
  db: LibraryDatabase,
  options: ExportOptions,
  context: JobContext,
): Promise<{ subsets: number; records: number; left: number }> {
  const query = db.prepare(
    `SELECT r.idx AS idx, r.rec_offset AS offset, r.rec_length AS length, r.ref AS ref, s.path AS path, s.status AS status, s.level AS level, f.sha256 AS sha256,
            r.start_s AS start, r.end_s AS end
     FROM records r JOIN annotation_files f ON f.id = r.file_id AND f.state = 'current' AND f.subset_id = ?
     LEFT JOIN media_refs m ON m.source_id = ? AND m.subdir = ? AND m.ref = r.ref
     LEFT JOIN media_status s ON s.media_id = m.id
     WHERE r.idx > ? ORDER BY r.idx LIMIT ${PAGE}`,
  );
  // A record's pre-cut clip, by absolute path (os.path.join keeps an absolute ref whatever the subset's root), once cut.
  const cutClip = db.prepare(`SELECT 1 FROM clip_plan WHERE source_id = '${PRECUT_SOURCE}' AND ref = ? AND state IN ('cut', 'kept')`).pluck();
  const precutClip = (subsetId: string, ref: string, start: number, end: number): string | null => {
    const clipRef = precutRef(subsetId, ref, start, end);
    return cutClip.get(clipRef) ? join(options.libraryPath, PRECUT_FOLDER, ...clipRef.split('/')) : null;
  };
  const ingested = db.prepare(`SELECT subset_id FROM annotation_files WHERE state = 'current'`).pluck().all() as string[];
  const subsets = catalog.subsets.filter((s) => ingested.includes(s.id));
  const exported: ExportedSubset[] = [];
  let records = 0;
  let left = 0;
  for (const [n, subset] of subsets.entries()) {
    context.signal.throwIfAborted();
    context.report({ done: n, total: subsets.length, message: `writing ${subset.annotationPath}` });
    const mediaRoot = subset.source ? join(options.root(subset.source), subset.subdir) : '';
    // Pages, not one open cursor: the job's progress is written through the same connection meanwhile.
    async function* rows(): AsyncGenerator<Row> {
      for (let after = -1; ; ) {
        const page = query.all(subset.id, subset.source ?? '', subset.subdir, after) as Row[];
        if (page.length === 0) return;
        yield* page;
        after = page.at(-1)?.idx ?? after;
      }
    }
    const out = join(options.target, 'annotations', subset.annotationPath);
    // A link among the export's own subfolders must not carry the write elsewhere (into the library, #9).
    if (!isInside(realPathOf(dirname(out)), realPathOf(join(options.target, 'annotations')))) {
      throw new ApiError('IO_ERROR', `${dirname(out)} leads out of the export folder through a link; remove the link and export again`);
    }
    await mkdir(dirname(out), { recursive: true });
    const temp = `${out}.partial`;
    const stream = createWriteStream(temp);
    let handle: Awaited<ReturnType<typeof open>> | null = null;
    let kept = 0;
    try {
      for await (const row of rows()) {
        const usable =
          subset.source === null || (row.status === 'ok' && RANK[row.level ?? ''] !== undefined && (RANK[row.level ?? ''] ?? 0) >= (RANK[options.level] ?? 1));
        if (!usable) {
          left++;
          continue;
        }
        handle ??= await open(objectPath(options.annotationsDir, row.sha256), 'r');
        const buffer = Buffer.alloc(row.length);
        await handle.read(buffer, 0, row.length, row.offset);
        let text = buffer.toString('utf8');
        const clip =
          options.precut && subset.mediaKey && row.ref !== null && row.start !== null && row.end !== null
            ? precutClip(subset.id, row.ref, row.start, row.end)
            : null;
        if (clip && subset.mediaKey) {
          // The pre-cut clip is the span already: the loader must not cut it again, so start/end go.
          const record = JSON.parse(text) as Record<string, unknown>;
          record[subset.mediaKey] = clip;
          delete record.start;
          delete record.end;
          text = JSON.stringify(record);
        } else if (subset.mediaKey && row.ref !== null && row.path !== null && row.path !== join(mediaRoot, row.ref)) {
          // The file was found by a rule (bucket folder, Kinetics name, .mkv): point the record at where it really is.
          const record = JSON.parse(text) as Record<string, unknown>;
          record[subset.mediaKey] = relative(mediaRoot, row.path).split(sep).join('/');
          text = JSON.stringify(record);
        }
        if (!stream.write(`${kept === 0 ? '[\n' : ',\n'}${text}`)) await once(stream, 'drain');
        kept++;
      }
      stream.end(kept === 0 ? '[]\n' : '\n]\n');
      await once(stream, 'finish');
      const written = await open(temp, 'r');
      await written.sync();
      await written.close();
      await rename(temp, out);
    } catch (error) {
      stream.destroy();
      await rm(temp, { force: true });
      throw error;
    } finally {
      await handle?.close();
    }
    records += kept;
    exported.push({ id: subset.id, annotationPath: subset.annotationPath, mediaRoot, records: kept });
  }
  const config = pythonConfig({
    libraryPath: options.libraryPath,
    target: options.target,
    level: options.level,
    subsets: exported,
    date: new Date().toISOString(),
  });
  await writeFileAtomic(join(options.target, 'instruction_data.py'), config);
  context.report({ done: subsets.length, total: subsets.length });
  return { subsets: exported.length, records, left };
}
