import type { Route } from '../../../shared/catalog/schema';
import type { TaskWorker } from '../../lib/worker-tasks';
import type { JobContext } from '../jobs/job-runner';
import type { LibraryDatabase } from '../library/db';
import type { DownloadLedger } from './download-ledger';
import type { MediaTasks } from './media-tasks';

export interface ClipRouteInput {
  worker: TaskWorker<MediaTasks>;
  db: LibraryDatabase;
  ledger: DownloadLedger;
  sourceId: string;
  route: Extract<Route, { kind: 'per-file-http' }>;
  /** The metadata tables: the user's files, or the ones fetched from the Hub. */
  tables: string[];
  /** The source's root: the clips go to <root>/<file>, where verify looks for them. */
  root: string;
  context: JobContext;
}

/**
 * Plans a per-clip route (WebVid): the clips the annotations name that are not under the root yet are looked up in
 * the metadata tables (on the media worker) and become ledger rows placed under the root; the ones no table row
 * names are failed rows that say so; the ones already there are done. Returns the sentence for the job's summary.
 */
export async function planClipRoute(input: ClipRouteInput): Promise<string> {
  const { ledger, sourceId, context } = input;
  const needed = input.db.prepare("SELECT ref FROM media_refs WHERE source_id = ? AND subdir = '' ORDER BY ref").pluck().all(sourceId) as string[];
  if (needed.length === 0) return `${sourceId}: no annotations name its clips yet (import the annotations first)`;
  context.report({ done: 0, total: null, message: `reading ${input.tables.length} metadata table(s) for ${needed.length} clips` });
  const plan = await input.worker.run(
    'clipPlan',
    { tables: input.tables, columns: input.route.table.columns, needed, root: input.root },
    {
      signal: context.signal,
      onEvent: (p) =>
        context.report({ done: p.tables, total: input.tables.length, message: `read ${p.tables} of ${input.tables.length} tables: ${p.matched} clips found` }),
    },
  );
  ledger.plan(plan.matched.map((m) => ({ sourceId, url: m.url, target: m.file, place: 'root', expectedSize: null, sizeIsExact: false, expectedSha256: null })));
  // Every matched clip is absent from the root: one the ledger calls done was deleted since, and is fetched again.
  ledger.requeueTargets(
    sourceId,
    plan.matched.map((m) => m.file),
  );
  // Clips already under the root are done (a row planned before, or failed, whose file the user has since put there).
  const present = new Map(plan.present.map((p) => [p.file, p.bytes]));
  if (present.size > 0) {
    const rows = ledger.forSources([sourceId]).filter((r) => r.place === 'root' && r.state !== 'done' && present.has(r.target));
    ledger.markPresent(rows.map((r) => ({ id: r.id, bytes: present.get(r.target) as number })));
  }
  const reason = `in no row of the metadata table (${plan.tables} ${plan.tables === 1 ? 'table' : 'tables'}, ${plan.rows} rows read): give a table that lists it ("Use my tables…", or vc2m get --table), or import the clip from elsewhere`;
  ledger.planUnmatched(sourceId, plan.unmatched, reason);
  const parts = [`${plan.matched.length} clips listed in the tables`, `${plan.present.length} already under ${input.root}`];
  if (plan.unmatched.length) parts.push(`${plan.unmatched.length} in no table row (e.g. ${plan.unmatched.slice(0, 3).join(', ')})`);
  if (plan.unusable.count) parts.push(`${plan.unusable.count} with no usable URL (${plan.unusable.examples.join('; ')})`);
  return `${sourceId}: ${parts.join(', ')}`;
}
