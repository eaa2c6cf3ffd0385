import { basename, resolve } from 'node:path';
import { ApiError } from '../../shared/api/errors';
import type { M3itTaskStatus } from '../../shared/api/m3it-models';
import { sourceById } from '../../shared/catalog/index';
import type { Source } from '../../shared/catalog/schema';
import { human } from '../services/downloads/disk-space';
import { globToRegExp, notDownloadable } from '../services/downloads/index';
import { downloadsFolderOf, manualMatches, scanFolder } from '../services/downloads-watch/manual-matches';
import { M3IT_SOURCE } from '../services/m3it/m3it-service';
import { callEngine, followJob, openCliLibrary } from './cli-engine';
import { type CommandContext, EXIT, JSON_SCHEMAS, need } from './commands';
import { formatTable } from './format-table';
import { ProgressPrinter } from './progress-printer';

/**
 * A source fetched by hand, as a card: the page to open in a browser, the steps, what to pick, the import command,
 * and — when the Downloads folder already holds what the card asks for — the exact command for it.
 */
async function manualCard(engine: CommandContext['engine'], source: Source): Promise<string> {
  const route = source.acquire.route;
  if (route.kind !== 'manual') return '';
  const lines = [`${source.id}: ${source.name} is fetched by hand.`, `Open in your browser: ${route.page ?? source.homepage}`];
  lines.push(...route.steps.map((step, i) => `  ${i + 1}. ${step}`));
  if (route.pick) lines.push(`Pick: ${route.pick}`);
  if (route.tree) lines.push(`Inside: ${route.tree}`);
  lines.push(`Then: vc2m import ${source.id} <the file or folder> (any one part of a set takes them all; it is extracted or used in place, then verified)`);
  const folder = downloadsFolderOf((await callEngine(engine, 'settings.get', {})).downloadsFolder);
  for (const found of manualMatches(folder, await scanFolder(folder)).filter((m) => m.sourceId === source.id)) {
    const what = found.names.length > 1 ? `${found.names[0]} … (${found.names.length} parts)` : found.names[0];
    lines.push(`Found in ${folder}: ${what}, ${human(found.bytes)}: vc2m import ${source.id} ${JSON.stringify(found.path)}`);
  }
  return lines.join('\n');
}

/** Per M3IT task: its file, its decode, and the check's verdict with its first finding. */
export function m3itTable(tasks: readonly M3itTaskStatus[]): string {
  return formatTable(
    ['task', 'file', 'records', 'images', 'not jpeg', 'unreadable', 'check'],
    tasks.map((t) => {
      const d = t.decoded;
      const mismatch = t.checks.find((c) => c.verdict === 'mismatch');
      const check =
        t.verdict === 'mismatch' && mismatch
          ? `mismatch: ${[
              mismatch.beyond.count ? `${mismatch.beyond.count} ${mismatch.beyond.count === 1 ? 'index' : 'indices'} past ${mismatch.records} records` : '',
              mismatch.unexpectedRefs.count ? `${mismatch.unexpectedRefs.count} refs not train/<i>.jpg` : '',
              mismatch.mismatched.count ? `${mismatch.mismatched.count}/${mismatch.spotChecked} spot-checks differ` : '',
            ]
              .filter(Boolean)
              .join(', ')}`
          : (t.verdict ?? '-');
      return [
        t.task,
        t.file ? (t.file.state === 'failed' ? `failed: ${t.file.error ?? ''}` : t.file.state) : 'not planned',
        d ? String(d.records) : '-',
        d ? String(d.written + d.unchanged) : '-',
        d ? String(d.notJpeg) : '-',
        d ? String(d.problems) : '-',
        check,
      ];
    }),
  );
}

/** `vc2m get <source-id>...`: downloads the routes' files; exit 0 when every file is done, 1 when some failed. */
export async function get({ engine, positionals, json, library, flags, out }: CommandContext): Promise<number> {
  if (positionals.length === 0)
    throw new ApiError(
      'VALIDATION_ERROR',
      'usage: vc2m get <source-id>... [--only <glob>] [--retry-failed] [--download-only] [--table <csv-or-dir>]... [--json]',
    );
  // A route the app cannot fetch by itself is answered with what to do, before any library work.
  const blocked = positionals.map((id) => ({ id, source: sourceById(id) })).filter(({ source }) => source && notDownloadable(source));
  if (blocked.length > 0) {
    for (const { source } of blocked) {
      if (source?.acquire.route.kind === 'manual') out(await manualCard(engine, source));
      else if (source) process.stderr.write(`vc2m: ${notDownloadable(source)}\n`);
    }
    return blocked.every(({ source }) => source?.acquire.route.kind === 'manual') ? EXIT.problems : EXIT.error;
  }
  await openCliLibrary(engine, library);
  const started = await engine.call('media.get', {
    sources: positionals,
    only: flags.only ?? null,
    retryFailed: flags.retryFailed ?? false,
    extract: !(flags.downloadOnly ?? false),
    // Paths as the user typed them, from where vc2m runs.
    tables: (flags.table ?? []).map((t) => resolve(t)),
    tasks: flags.task ?? [],
  });
  if (!started.ok) throw ApiError.fromShape(started.error);
  const job = await followJob(engine, started.value as Parameters<typeof followJob>[1], new ProgressPrinter());
  // With --only, "every file" means every file it picks.
  const only = flags.only ? globToRegExp(flags.only) : null;
  // Every row only when it is printed or filtered by name; otherwise the per-source counts (a per-clip route has
  // half a million rows).
  let allDone: boolean;
  let anyFailed: boolean;
  if (json || only) {
    const rows = (await callEngine(engine, 'media.downloads', { failed: false })).filter(
      (r) => positionals.includes(r.sourceId) && (only === null || only.test(basename(r.target))),
    );
    if (json) {
      const m3it = positionals.includes(M3IT_SOURCE) ? { m3it: await callEngine(engine, 'media.m3it', {}) } : {};
      out(JSON.stringify({ schema: JSON_SCHEMAS.downloads, library: engine.library.current()?.path, job, files: rows, ...m3it }, null, 2));
    }
    allDone = rows.every((r) => r.state === 'done');
    anyFailed = rows.some((r) => r.state === 'failed');
  } else {
    const counts = (await callEngine(engine, 'media.status', {})).filter((s) => positionals.includes(s.sourceId)).map((s) => s.files);
    allDone = counts.every((c) => c.done === c.total);
    anyFailed = counts.some((c) => c.failed > 0);
  }
  if (!json)
    out(
      job.state === 'paused' ? `paused (job ${job.id}); vc2m jobs resume ${job.id} or vc2m get carries on from where it stopped` : (job.message ?? job.state),
    );
  if (job.state === 'cancelled' || job.state === 'paused') return EXIT.interrupted;
  // M3IT: what each task's decode and check found; a mismatch or an unreadable record is for the user to look at.
  if (positionals.includes(M3IT_SOURCE) && job.state === 'finished') {
    const tasks = await callEngine(engine, 'media.m3it', {});
    const asked = new Set(flags.task ?? []);
    const shown = tasks.filter((t) => (asked.size > 0 ? asked.has(t.task) : t.file !== null));
    if (!json) out(m3itTable(shown));
    if (shown.some((t) => t.verdict === 'mismatch' || (t.decoded?.problems ?? 0) > 0)) {
      if (!json) out('vc2m: the M3IT check found a mismatch or unreadable records (above); the images were written as the rule says, not corrected');
      return EXIT.problems;
    }
  }
  // Done means every file of the routes is here, not only that this run had nothing left to try.
  if (job.state === 'finished' && allDone) return EXIT.ok;
  if (job.state === 'finished' || job.errorCode === 'DOWNLOAD_FAILED' || anyFailed) {
    if (!json) out('vc2m downloads --failed says why each failed; vc2m get --retry-failed tries exactly those again');
    return EXIT.problems;
  }
  return EXIT.error;
}

/** `vc2m downloads [--failed] [--json]`: the ledger, one line per file. */
export async function downloads({ engine, positionals, json, library, flags, out }: CommandContext): Promise<number> {
  need(positionals, 0, 'vc2m downloads [--failed] [--json]');
  await openCliLibrary(engine, library);
  const rows = await callEngine(engine, 'media.downloads', { failed: flags.failed ?? false });
  if (json) out(JSON.stringify({ schema: JSON_SCHEMAS.downloads, library: engine.library.current()?.path, files: rows }, null, 2));
  else if (rows.length === 0) out(flags.failed ? 'no failed downloads' : 'no downloads yet');
  else
    out(
      formatTable(
        ['source', 'file', 'state', 'bytes', 'attempts', 'reason'],
        rows.map((r) => [r.sourceId, r.target, r.state, r.total ? `${r.bytes}/${r.total}` : String(r.bytes), String(r.attempts), r.error ?? '']),
      ),
    );
  return rows.some((r) => r.state === 'failed') ? EXIT.problems : EXIT.ok;
}
