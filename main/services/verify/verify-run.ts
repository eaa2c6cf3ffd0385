import { readdirSync, realpathSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { VerifyLevel } from '../../../shared/api/models';
import { catalog, subsetById } from '../../../shared/catalog/index';
import { resolutionFor } from '../../../shared/catalog/resolution';
import { mapLimit } from '../../lib/map-limit';
import type { JobContext } from '../jobs/job-runner';
import type { LibraryDatabase } from '../library/db';
import { checkContainer } from './containers/check-container';
import { decode } from './decode/ffmpeg-decode';
import { DirectoryListing } from './directory-listing';
import { FileIndex } from './file-index';
import { quickCheck } from './quick-check';
import { type ResolveContext, resolveRef } from './resolve-ref';
import { StatAhead } from './stat-ahead';
import { type MediaFolder, type PageCursor, type StatusRow, VerifyStore } from './verify-store';

export interface VerifyParams {
  level: VerifyLevel;
  /** The ffmpeg executable for the decode level (Settings, else the one on PATH). */
  ffmpeg?: string;
  sourceId: string | null;
  subsetId: string | null;
  force: boolean;
}

const PAGE = 2000;
const LEVEL_RANK: Record<StatusRow['level'], number> = { quick: 1, container: 2, decode: 3 };

/**
 * Resolves one ref and runs the quick level: the whole check for `quick`, and what the deeper levels start from.
 * Synchronous, because at the quick level millions of refs go through here and a promise each costs more than the check.
 */
function resolveAndQuick(id: number, ref: string, context: ResolveContext, expectFolder: boolean, level: VerifyLevel): { row: StatusRow; final: boolean } {
  const resolved = resolveRef(ref, context);
  if (resolved.status !== 'found') {
    const detail = resolved.status === 'not-found' ? resolved.expected : resolved.status === 'unsafe-ref' ? resolved.detail : null;
    return { row: { mediaId: id, status: resolved.status, detail, path: null, rule: null, level, size: null, mtimeMs: null }, final: true };
  }
  const base = { mediaId: id, path: resolved.path, rule: resolved.rule, level, size: resolved.stats.size, mtimeMs: resolved.stats.mtimeMs };
  const quick = quickCheck(resolved.path, resolved.stats, expectFolder);
  if (!quick.ok) return { row: { ...base, status: 'corrupt', detail: quick.detail }, final: true };
  return { row: { ...base, status: 'ok', detail: null }, final: level === 'quick' };
}

/** The container and decode levels for a file (or frame folder) the quick level found. */
async function checkDeeper(base: StatusRow, expectFolder: boolean, level: VerifyLevel, decoding: { ffmpeg: string; signal: AbortSignal }): Promise<StatusRow> {
  const path = base.path as string;
  let files: string[];
  try {
    files = expectFolder ? frameFiles(path) : [path];
  } catch (error) {
    // Gone or unreadable since the quick check: say so for this media and go on with the others.
    return { ...base, status: 'corrupt', detail: `the frame folder could not be read: ${(error as Error).message}` };
  }
  let info: Partial<StatusRow> = { format: 'frames' };
  for (const [n, file] of files.entries()) {
    const parsed = await checkContainer(file);
    const where = expectFolder ? `${file}: ` : '';
    if (!parsed.ok) return { ...base, status: 'corrupt', detail: `${where}${parsed.detail}` };
    if (!expectFolder) info = { format: parsed.info.format, durationS: parsed.info.durationS, width: parsed.info.width, height: parsed.info.height };
    // A frame folder is decoded at its first and last frame: enough to catch a broken extraction, cheap for thousands.
    const decodeThis = level === 'decode' && (!expectFolder || n === 0 || n === files.length - 1);
    if (decodeThis) {
      const decoded = await decode({ ffmpeg: decoding.ffmpeg, path: file, durationS: parsed.info.durationS }, decoding.signal);
      if (!decoded.ok) return { ...base, ...info, status: 'corrupt', detail: `${where}${decoded.detail}` };
    }
  }
  return { ...base, ...info, status: 'ok', detail: null };
}

function frameFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(folder, e.name))
    .sort();
}

/** The media folders in scope: each (source, subdir) pair, or the one subset asked for. */
function scope(params: VerifyParams): MediaFolder[] {
  if (params.subsetId) {
    const subset = subsetById(params.subsetId);
    return subset?.source ? [{ sourceId: subset.source, subdir: subset.subdir, subsetId: subset.id }] : [];
  }
  const folders = new Map<string, MediaFolder>();
  for (const subset of catalog.subsets) {
    if (!subset.source || (params.sourceId && subset.source !== params.sourceId)) continue;
    folders.set(`${subset.source}\0${subset.subdir}`, { sourceId: subset.source, subdir: subset.subdir, subsetId: null });
  }
  return [...folders.values()];
}

/**
 * The verify job: every distinct ref of the sources in scope is resolved under its source's root and checked.
 * A ref whose file has the same path, size and mtime as at its last check at this level is not checked again.
 */
export async function runVerify(
  db: LibraryDatabase,
  roots: (sourceId: string) => string,
  params: VerifyParams,
  context: JobContext,
): Promise<{ checked: number; skipped: number }> {
  const store = new VerifyStore(db);
  const index = new FileIndex(db);
  const targets = scope(params);
  const total = targets.reduce((sum, folder) => sum + store.count(folder), 0);
  let done = 0;
  let checked = 0;
  let skipped = 0;
  for (const folder of targets) {
    const { sourceId, subdir } = folder;
    const resolution = resolutionFor(sourceId);
    const root = roots(sourceId);
    let realRoot = root;
    try {
      realRoot = realpathSync(root);
    } catch {
      // A root that does not exist yet: every ref is reported missing, with the path it was expected at.
    }
    if (resolution.strategy !== 'join') {
      context.report({ done, total, message: `${sourceId}: indexing ${root}` });
      await index.refresh(root, context.signal);
    }
    const expectFolder = catalog.subsets.some((s) => s.source === sourceId && s.mediaForm === 'frame-directory');
    const resolveContext: ResolveContext = { root, realRoot, subdir, resolution, index, listing: new DirectoryListing() };
    const decoding = { ffmpeg: params.ffmpeg ?? 'ffmpeg', signal: context.signal };
    const statAhead = new StatAhead();
    let cursor: PageCursor | null = null;
    for (;;) {
      context.signal.throwIfAborted();
      const next = store.page(folder, cursor, PAGE);
      const page = next.rows;
      if (page.length === 0) break;
      cursor = next.cursor;
      resolveContext.stats = await statAhead.page(page, resolveContext);
      const first = page.map(({ id, ref }) => resolveAndQuick(id, ref, resolveContext, expectFolder, params.level));
      // A check at this level or deeper saw this very file (same path, size, mtime): its verdict stands and the file
      // is not parsed or decoded again, unless the quick check now fails (a quick check after a container check
      // must not turn a truncated file back into "ok").
      const stands = first.map(({ row }, i) => {
        const before = params.force ? null : (page[i]?.previous ?? null);
        if (!before || before.path !== row.path || before.size !== row.size || before.mtimeMs !== row.mtimeMs) return false;
        return LEVEL_RANK[before.level] >= LEVEL_RANK[params.level] && (row.status === 'ok' || row.status === before.status);
      });
      // ffmpeg runs one process per core; the container level is bound by the disk and goes one file at a time.
      const limit = params.level === 'decode' ? availableParallelism() : 1;
      const todo = first.filter((_, i) => !stands[i]);
      const results =
        params.level === 'quick'
          ? todo.map((f) => f.row)
          : await mapLimit(todo, limit, async ({ row, final }) => (final ? row : checkDeeper(row, expectFolder, params.level, decoding)));
      checked += results.length;
      skipped += page.length - results.length;
      store.save(results);
      done += page.length;
      context.report({ done, total, message: `${sourceId}: ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} media checked` });
      // Hand the engine's thread back after each page: on a fast disk a whole folder resolves without waiting on
      // anything, and the UI's calls (the report, a cancel) would wait for the folder's end.
      await nextTurn();
    }
  }
  return { checked, skipped };
}
