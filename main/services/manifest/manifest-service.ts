import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { ApiError } from '../../../shared/api/errors';
import type { ManifestComparisonInfo } from '../../../shared/api/manifest-models';
import type { JobSnapshot, VerifyLevel } from '../../../shared/api/models';
import { resolveUserPath } from '../../lib/user-path';
import { TaskWorker } from '../../lib/worker-tasks';
import type { MediaTasks } from '../downloads/media-tasks';
import type { JobContext, JobOutcome, JobRunner } from '../jobs/job-runner';
import type { LibraryDatabase } from '../library/db';
import type { LibraryService } from '../library/library-service';
import type { SettingsService } from '../settings/settings-service';
import type { SourcesService } from '../sources/sources-service';
import { buildFileMedia } from '../verify/file-media';
import { runVerify } from '../verify/verify-run';
import { hashFiles } from './file-hashes';
import { compareManifests } from './manifest-compare';
import { formatOfPath, readManifest, writeManifest } from './manifest-file';
import { MANIFEST_SCHEMA, type ManifestHeader, type ManifestRow } from './manifest-format';
import { type LibraryRef, libraryRefs } from './manifest-rows';

export interface ManifestParams {
  level: VerifyLevel;
  hash: boolean;
  out: string;
}

/** The annotation versions the copy is of: per subset, the Hub revision, the file's sha256 and its records. */
function annotationVersions(db: LibraryDatabase): ManifestHeader['annotations'] {
  const rows = db
    .prepare("SELECT subset_id AS subset, revision, sha256, records FROM annotation_files WHERE state = 'current' ORDER BY subset_id")
    .all() as Array<{ subset: string; revision: string | null; sha256: string; records: number }>;
  return Object.fromEntries(rows.map((r) => [r.subset, { revision: r.revision, sha256: r.sha256, records: r.records }]));
}

/** A ref without the engine's bookkeeping: what the manifest holds. */
const toRow = ({ mediaId: _id, path: _path, mtimeMs: _mtime, ...row }: LibraryRef): ManifestRow => row;

/**
 * A shareable description of the copy (#13 item 4): every media ref with its subsets, status, size, duration and —
 * with `hash` — sha256 (incremental, on every core), after a verify at the chosen level; and the comparison of
 * this copy with another's manifest, without moving any media.
 */
export class ManifestService {
  constructor(
    private readonly library: LibraryService,
    private readonly jobs: JobRunner,
    private readonly sources: SourcesService,
    private readonly settings: SettingsService,
    private readonly bundleDir: string,
    private readonly version: string,
  ) {}

  start(params: ManifestParams): JobSnapshot {
    this.library.database();
    const { path } = resolveUserPath(params.out, 'the manifest file');
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (error) {
      throw new ApiError('IO_ERROR', `cannot create ${dirname(path)}: ${(error as Error).message}. Choose a folder you can write to.`);
    }
    return this.jobs.enqueue('manifest.write', { ...params, out: path } satisfies ManifestParams);
  }

  async run(params: ManifestParams, context: JobContext): Promise<JobOutcome> {
    const db = this.library.database();
    const info = this.library.current();
    if (!info) throw new ApiError('LIBRARY_NOT_OPEN', 'open a library first');
    // The statuses are those of a verify at the manifest's level, run now (files unchanged since are not checked again).
    const ffmpeg = (await this.settings.get()).ffmpegPath || 'ffmpeg';
    await buildFileMedia(db);
    await runVerify(db, (id) => this.sources.root(id), { level: params.level, ffmpeg, sourceId: null, subsetId: null, force: false }, context);
    const refs: LibraryRef[] = [];
    for await (const r of libraryRefs(db, params.level)) refs.push(r);
    let hashNote = '';
    if (params.hash) {
      const workers = Array.from(
        { length: Math.max(1, Math.min(availableParallelism(), 8)) },
        () => new TaskWorker<MediaTasks>(join(this.bundleDir, 'media-worker.js')),
      );
      try {
        const paths = refs.flatMap((r) => (r.path ? [r.path] : []));
        const hashed = await hashFiles(db, workers, paths, context);
        for (const r of refs) r.sha256 = r.path ? (hashed.sha256.get(r.path) ?? null) : null;
        hashNote = `; sha256: ${hashed.hashed.toLocaleString('en-US')} hashed, ${hashed.cached.toLocaleString('en-US')} unchanged since their last hash${hashed.failures.length ? `, ${hashed.failures.length} could not be (${hashed.failures[0]?.path}: ${hashed.failures[0]?.reason})` : ''}`;
      } finally {
        await Promise.all(workers.map((w) => w.close()));
      }
    }
    const header: ManifestHeader = {
      schema: MANIFEST_SCHEMA,
      createdAt: new Date().toISOString(),
      app: this.version,
      library: info.name,
      level: params.level,
      hashed: params.hash,
      annotations: annotationVersions(db),
    };
    context.report({ done: 0, total: refs.length, message: `writing ${params.out}` });
    const written = await writeManifest(params.out, header, refs.map(toRow), formatOfPath(params.out));
    const ok = refs.filter((r) => r.status === 'ok').length;
    return {
      status: 'finished',
      message: `${params.out}: ${written.rows.toLocaleString('en-US')} media refs (${ok.toLocaleString('en-US')} ok at the ${params.level} level)${hashNote}`,
    };
  }

  /** This copy against another's manifest: per subset what they have that this one lacks, what differs, what only this one has. */
  async compare(rawPath: string): Promise<ManifestComparisonInfo> {
    const db = this.library.database();
    const { path } = resolveUserPath(rawPath, 'the manifest to compare with');
    const theirs = await readManifest(path);
    await buildFileMedia(db);
    const cached = db.prepare('SELECT sha256 FROM file_hashes WHERE path = ? AND size = ? AND mtime_ms = ?').pluck();
    const ours: ManifestRow[] = [];
    for await (const r of libraryRefs(db, theirs.header.level)) {
      // Hashes taken before (vc2m manifest --hash), for files as they were then (same size and mtime); comparing
      // hashes nothing.
      const sha256 = r.path && r.size !== null && r.mtimeMs !== null ? ((cached.get(r.path, r.size, r.mtimeMs) as string | undefined) ?? null) : null;
      ours.push({ ...toRow(r), sha256 });
    }
    const result = await compareManifests(ours, theirs.rows);
    const here = annotationVersions(db);
    const subsets = new Set([...Object.keys(here), ...Object.keys(theirs.header.annotations)]);
    const annotationsDiffer = [...subsets]
      .filter((s) => here[s]?.sha256 !== theirs.header.annotations[s]?.sha256)
      .map((s) => ({ subset: s, here: here[s]?.sha256 ?? null, there: theirs.header.annotations[s]?.sha256 ?? null }));
    return {
      theirs: { path, library: theirs.header.library, createdAt: theirs.header.createdAt, level: theirs.header.level, hashed: theirs.header.hashed },
      hashesCompared: result.hashesCompared,
      annotationsDiffer,
      subsets: result.subsets,
    };
  }
}
