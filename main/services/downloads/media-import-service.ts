import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { ApiError } from '../../../shared/api/errors';
import type { JobSnapshot } from '../../../shared/api/models';
import { catalog, sourceById } from '../../../shared/catalog/index';
import { resolveUserPath } from '../../lib/user-path';
import type { JobContext, JobOutcome, JobRunner } from '../jobs/job-runner';
import type { LibraryService } from '../library/library-service';
import type { SourcesService } from '../sources/sources-service';
import { human } from './disk-space';
import { findRoot } from './find-root';
import { archiveOf, type ImportMode, placeTree } from './import-media';
import { extractOnWorker, withMediaWorker } from './media-worker-client';

export interface ImportParams {
  sourceId: string;
  path: string;
  mode: ImportMode;
}

/** Media the user already has (#11 item 6): an archive extracted, or a folder used in place, linked, copied or moved. */
export class MediaImportService {
  constructor(
    private readonly library: LibraryService,
    private readonly jobs: JobRunner,
    private readonly sources: SourcesService,
    /** Folder of the bundled worker entries (media-worker.js). */
    private readonly bundleDir: string,
  ) {}

  /** Queues an import of what the user already has: an archive (extracted) or a folder (used, linked, copied, moved). */
  start(params: ImportParams): JobSnapshot {
    this.library.database();
    if (!sourceById(params.sourceId)) {
      throw new ApiError('NOT_FOUND', `unknown source "${params.sourceId}". Known sources: ${catalog.sources.map((s) => s.id).join(', ')}`);
    }
    const path = resolveUserPath(params.path, `what to import into ${params.sourceId}`).path;
    let isFolder: boolean;
    try {
      isFolder = statSync(path).isDirectory();
    } catch {
      throw new ApiError('NOT_FOUND', `${path} does not exist: pick the archive or the folder that holds ${params.sourceId}'s media`);
    }
    if (!isFolder && params.mode !== 'root') {
      throw new ApiError(
        'VALIDATION_ERROR',
        `${path} is a file: an archive is extracted into the library (leave the mode out); link, copy and move take a folder`,
      );
    }
    return this.jobs.enqueue('media.import', { ...params, path });
  }

  async run(params: ImportParams, context: JobContext): Promise<JobOutcome> {
    const { sourceId, mode } = params;
    const dest = this.sources.defaultRoot(sourceId);
    let said: string;
    let searchUnder = dest;
    if (!statSync(params.path).isDirectory()) {
      const archive = await archiveOf(params.path);
      if (!archive) {
        throw new ApiError('BAD_ARCHIVE', `${params.path}: not an archive the app reads (zip, tar, tar.gz, or their byte-split parts .partaa… / .001… / -00…)`);
      }
      const label = `${basename(params.path)}${archive.parts.length > 1 ? ` (${archive.parts.length} parts)` : ''}`;
      const input = archive.parts.length === 1 ? (archive.parts[0] as string) : archive.parts;
      const result = await withMediaWorker(this.bundleDir, (worker) => extractOnWorker(worker, archive.format, input, dest, label, context));
      said = `${label}: ${result.written} files extracted${result.kept ? `, ${result.kept} already there` : ''}`;
    } else if (mode === 'root') {
      searchUnder = params.path;
      said = `${params.path} used in place`;
    } else {
      const verb = mode === 'link' ? 'linked' : mode === 'copy' ? 'copied' : 'moved';
      const result = await placeTree(params.path, dest, mode, {
        signal: context.signal,
        onProgress: (files, bytes) => context.report({ done: files, total: null, message: `${files} files ${verb} (${human(bytes)})` }),
      });
      said = `${result.placed} files ${verb} into ${dest}${result.kept ? `, ${result.kept} already there` : ''}`;
    }
    const db = this.library.database();
    const refs = db.prepare('SELECT count(*) FROM media_refs WHERE source_id = ?').pluck().get(sourceId) as number;
    const found = findRoot(db, sourceId, searchUnder);
    if (found) {
      this.sources.setRoot(sourceId, found.root);
      // What the user brought is checked at once: every ref of the source, quick level (present, not empty).
      const verify = this.jobs.enqueue('verify.run', { level: 'quick', sourceId, subsetId: null, force: false });
      return {
        status: 'finished',
        message: `${said}; ${sourceId}'s media found under ${found.root} (${found.hits} of ${found.sample} sampled refs there); verifying ${sourceId} (job ${verify.id})`,
      };
    }
    if (refs > 0) {
      const example = db.prepare('SELECT ref FROM media_refs WHERE source_id = ? LIMIT 1').pluck().get(sourceId) as string;
      throw new ApiError(
        'NOT_FOUND',
        `${said}, but none of ${sourceId}'s refs is under ${searchUnder} or a folder up to three levels below it (for example ${example}); pick the folder that holds them`,
      );
    }
    // No annotations yet to check against: the folder is taken as it is, and verify checks it once they are in.
    this.sources.setRoot(sourceId, searchUnder);
    return { status: 'finished', message: `${said}; ${sourceId}'s root is ${searchUnder} (no annotations yet to check it against: import them, then verify)` };
  }
}
