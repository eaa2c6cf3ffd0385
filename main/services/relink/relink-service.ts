import { basename, extname, resolve } from 'node:path';
import { ApiError } from '../../../shared/api/errors';
import type { JobSnapshot } from '../../../shared/api/models';
import type { RelinkPage } from '../../../shared/api/relink-models';
import { catalog, sourceById } from '../../../shared/catalog/index';
import { resolutionFor } from '../../../shared/catalog/resolution';
import { resolveUserPath } from '../../lib/user-path';
import type { JobContext, JobOutcome, JobRunner } from '../jobs/job-runner';
import type { LibraryService } from '../library/library-service';
import type { SettingsService } from '../settings/settings-service';
import type { SourcesService } from '../sources/sources-service';
import { buildFileMedia } from '../verify/file-media';
import { expectedPath } from '../verify/resolve-ref';
import { runVerify } from '../verify/verify-run';
import { type MissingRef, proposeMatches } from './match-refs';
import { placeFile, type RelinkMode } from './place-file';
import { RelinkStore } from './relink-store';
import { indexTrees } from './tree-index';

export interface RelinkScanParams {
  folders: string[];
  sourceId: string | null;
}

export interface RelinkApplyParams {
  mode: RelinkMode;
}

/**
 * Relink (#13 item 3): media already somewhere on disk under other names or layouts. A scan indexes the user's
 * folders, matches the refs still missing by each source's rules and keeps the proposals; the user reviews them
 * (ambiguities are theirs to settle); an apply places the accepted files where the refs belong, then verifies.
 */
export class RelinkService {
  constructor(
    private readonly library: LibraryService,
    private readonly jobs: JobRunner,
    private readonly sources: SourcesService,
    private readonly settings: SettingsService,
  ) {}

  startScan(params: RelinkScanParams): JobSnapshot {
    this.library.database();
    if (params.sourceId && !sourceById(params.sourceId)) throw new ApiError('NOT_FOUND', `unknown source "${params.sourceId}"; vc2m sources lists them`);
    const folders = params.folders.map((f) => resolveUserPath(f, 'a folder to look in').path);
    return this.jobs.enqueue('relink.scan', { folders, sourceId: params.sourceId } satisfies RelinkScanParams);
  }

  startApply(params: RelinkApplyParams): JobSnapshot {
    const store = new RelinkStore(this.library.database());
    if (store.toApply().length === 0)
      throw new ApiError('VALIDATION_ERROR', 'no accepted proposal to apply: scan folders first (vc2m relink <folder>), then accept the matches');
    return this.jobs.enqueue('relink.apply', params);
  }

  page(from: number, limit: number, only: 'all' | 'ambiguous' | 'failed'): RelinkPage {
    const store = new RelinkStore(this.library.database());
    return { counts: store.counts(), rows: store.page(from, limit, only) };
  }

  /** Accept or skip proposals; `chosen` settles an ambiguous one and must be one of its candidates. */
  decide(ids: readonly number[] | 'all', accept: boolean, chosen: string | null): RelinkPage['counts'] {
    const store = new RelinkStore(this.library.database());
    if (chosen !== null) {
      if (ids === 'all' || ids.length !== 1) throw new ApiError('VALIDATION_ERROR', 'a chosen file is for one proposal at a time');
      const proposal = store.get(ids[0] as number);
      if (!proposal) throw new ApiError('NOT_FOUND', `no relink proposal ${ids[0]}`);
      if (!proposal.candidates.includes(chosen)) throw new ApiError('VALIDATION_ERROR', `${chosen} is not one of the files found for ${proposal.ref}`);
    }
    store.decide(ids, accept, chosen);
    return store.counts();
  }

  async runScan(params: RelinkScanParams, context: JobContext): Promise<JobOutcome> {
    const db = this.library.database();
    const ffmpeg = (await this.settings.get()).ffmpegPath || 'ffmpeg';
    // What is missing now: a quick verify of the scope first (files unchanged since their last check are skipped).
    await buildFileMedia(db);
    await runVerify(db, (id) => this.sources.root(id), { level: 'quick', ffmpeg, sourceId: params.sourceId, subsetId: null, force: false }, context);
    const rows = db
      .prepare(
        `SELECT m.id AS mediaId, m.source_id AS sourceId, m.subdir AS subdir, m.ref AS ref FROM media_refs m JOIN media_status s ON s.media_id = m.id
         WHERE s.status = 'not-found' AND (@source IS NULL OR m.source_id = @source)
           AND EXISTS (SELECT 1 FROM file_media fm JOIN annotation_files f ON f.id = fm.file_id AND f.state = 'current' WHERE fm.media_id = m.id)
         ORDER BY m.id`,
      )
      .all({ source: params.sourceId }) as Array<{ mediaId: number; sourceId: string; subdir: string; ref: string }>;
    // Per source, over all its folders, how many refs share each file name: a shared name identifies nothing (M3IT's
    // sixteen tasks all have train/0.jpg, so a 0.jpg found anywhere is no task's in particular).
    const names = new Map<string, number>();
    for (const sourceId of new Set(rows.map((r) => r.sourceId))) {
      const all = db.prepare('SELECT ref FROM media_refs WHERE source_id = ?').pluck().all(sourceId) as string[];
      for (const [i, ref] of all.entries()) {
        const key = `${sourceId}\u0000${basename(ref)}`;
        names.set(key, (names.get(key) ?? 0) + 1);
        if (i % 50_000 === 49_999) await new Promise((r) => setImmediate(r));
      }
    }
    const missing: MissingRef[] = [];
    for (const r of rows) {
      const resolution = resolutionFor(r.sourceId);
      const place = expectedPath(r.ref, { root: this.sources.root(r.sourceId), subdir: r.subdir, resolution });
      if (!('expected' in place)) continue;
      missing.push({
        ...r,
        relative: r.subdir ? `${r.subdir}/${place.relative}` : place.relative,
        target: place.expected,
        resolution,
        nameIsUnique: names.get(`${r.sourceId}\u0000${basename(r.ref)}`) === 1,
      });
    }
    context.report({ done: 0, total: null, message: `indexing ${params.folders.join(', ')}` });
    const index = await indexTrees(params.folders, {
      signal: context.signal,
      onProgress: (files, folders) =>
        context.report({ done: files, total: null, message: `indexing: ${files.toLocaleString('en-US')} files in ${folders.toLocaleString('en-US')} folders` }),
    });
    const roots = catalog.sources.map((s) => resolve(this.sources.root(s.id)));
    const proposals = proposeMatches(index, missing, roots);
    new RelinkStore(db).replace(proposals, params.sourceId);
    const ambiguous = proposals.filter((p) => p.candidates.length > 1).length;
    const by = (rule: string) => proposals.filter((p) => p.rule === rule).length;
    return {
      status: 'finished',
      message: `${missing.length.toLocaleString('en-US')} missing refs, ${index.paths.length.toLocaleString('en-US')} files indexed in ${index.folders.toLocaleString('en-US')} folders: ${proposals.length.toLocaleString('en-US')} matched (${by('path')} by path, ${by('name')} by name, ${by('stem')} by stem, ${by('youtube-id')} by YouTube id), ${ambiguous} ambiguous, ${(missing.length - proposals.length).toLocaleString('en-US')} not found`,
    };
  }

  async runApply(params: RelinkApplyParams, context: JobContext): Promise<JobOutcome> {
    const db = this.library.database();
    const store = new RelinkStore(db);
    const todo = store.toApply();
    const hows = new Map<string, number>();
    let failed = 0;
    for (const [i, p] of todo.entries()) {
      context.signal.throwIfAborted();
      try {
        // A stem or YouTube-id match is placed under the chosen file's own extension (the one verify's fallback finds).
        const target =
          p.rule === 'stem' || p.rule === 'youtube-id'
            ? `${p.target.slice(0, p.target.length - extname(p.target).length)}${extname(p.chosen as string)}`
            : p.target;
        const how = await placeFile(p.chosen as string, target, params.mode);
        store.done(p.id, how);
        hows.set(how, (hows.get(how) ?? 0) + 1);
      } catch (error) {
        store.failed(p.id, (error as Error).message);
        failed++;
      }
      if (i % 200 === 0)
        context.report({ done: i, total: todo.length, message: `placing ${i.toLocaleString('en-US')} of ${todo.length.toLocaleString('en-US')} files` });
    }
    const ffmpeg = (await this.settings.get()).ffmpegPath || 'ffmpeg';
    for (const sourceId of new Set(todo.map((p) => p.sourceId))) {
      await runVerify(db, (id) => this.sources.root(id), { level: 'quick', ffmpeg, sourceId, subsetId: null, force: false }, context);
    }
    const placed = [...hows].map(([how, n]) => `${n.toLocaleString('en-US')} by ${how}`).join(', ');
    return {
      status: 'finished',
      message: `${(todo.length - failed).toLocaleString('en-US')} files placed${placed ? ` (${placed})` : ''}${failed ? `, ${failed} failed (vc2m relink --failed lists them)` : ''}; verified`,
    };
  }
}
