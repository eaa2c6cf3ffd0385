import { resolve } from 'node:path';
import { ApiError } from '../../shared/api/errors';
import type { RelinkPage, RelinkProposal } from '../../shared/api/relink-models';
import { callEngine, followJob, openCliLibrary } from './cli-engine';
import { type CommandContext, EXIT } from './commands';
import { formatTable } from './format-table';
import { ProgressPrinter } from './progress-printer';

export const RELINK_SCHEMA = 'vc2m.relink/1';
const USAGE = 'usage: vc2m relink <folder>... [--source <id>] [--apply] [--mode link|copy|move] [--json] | vc2m relink --failed';
const SHOWN = 50;

async function allProposals(engine: CommandContext['engine'], only: 'all' | 'failed'): Promise<RelinkPage> {
  const first = await callEngine(engine, 'relink.proposals', { from: 0, limit: 500, only });
  const rows = [...first.rows];
  while (rows.length < (only === 'failed' ? first.counts.failed : first.counts.total)) {
    const page = await callEngine(engine, 'relink.proposals', { from: rows.length, limit: 500, only });
    if (page.rows.length === 0) break;
    rows.push(...page.rows);
  }
  return { counts: first.counts, rows };
}

const fileOf = (p: RelinkProposal) =>
  p.state === 'failed'
    ? `failed: ${p.error ?? ''}`
    : p.ambiguous && !p.chosen
      ? `AMBIGUOUS, ${p.candidates.length} files: ${p.candidates.slice(0, 3).join(' | ')}${p.candidates.length > 3 ? ' | …' : ''}`
      : (p.chosen ?? '');

function table(rows: readonly RelinkProposal[]): string {
  return formatTable(
    ['source', 'ref', 'matched by', 'file', 'state'],
    rows.slice(0, SHOWN).map((p) => [p.sourceId, p.ref, p.rule, fileOf(p), p.state === 'applied' ? `applied (${p.how})` : p.state]),
  );
}

async function runStarted(engine: CommandContext['engine'], started: Awaited<ReturnType<CommandContext['engine']['call']>>, what: string) {
  if (!started.ok) throw ApiError.fromShape(started.error);
  const job = await followJob(engine, started.value as Parameters<typeof followJob>[1], new ProgressPrinter());
  if (job.state !== 'finished') throw new ApiError('VALIDATION_ERROR', `${what} ${job.state}: ${job.message ?? ''}`);
  return job;
}

/**
 * `vc2m relink <folder>...`: finds the files still missing in folders the user has (renamed, moved, another layout)
 * and shows what matched how; `--apply` places the unambiguous matches (hard link, else symbolic link; or copy, move)
 * and verifies. Two files for one ref are shown, never picked: settle them in the app's Relink dialog.
 */
export async function relink({ engine, positionals, json, library, flags, out }: CommandContext): Promise<number> {
  await openCliLibrary(engine, library);
  if (flags.failed) {
    const failed = await allProposals(engine, 'failed');
    out(failed.rows.length === 0 ? 'no relink failed' : table(failed.rows));
    return failed.rows.length === 0 ? EXIT.ok : EXIT.problems;
  }
  if (positionals.length === 0) throw new ApiError('VALIDATION_ERROR', USAGE);
  const mode = flags.mode ?? 'link';
  if (mode !== 'link' && mode !== 'copy' && mode !== 'move') throw new ApiError('VALIDATION_ERROR', `--mode is link, copy or move, not ${mode}`);
  const scan = await runStarted(
    engine,
    await engine.call('relink.scan', { folders: positionals.map((p) => resolve(p)), sourceId: flags.source ?? null }),
    'the scan',
  );
  let applied: string | null = null;
  if (flags.apply) {
    const counts = (await callEngine(engine, 'relink.proposals', { from: 0, limit: 1, only: 'all' })).counts;
    if (counts.accepted > 0) applied = (await runStarted(engine, await engine.call('relink.apply', { mode }), 'the apply')).message;
  }
  const result = await allProposals(engine, 'all');
  if (json) {
    out(JSON.stringify({ schema: RELINK_SCHEMA, library: engine.library.current()?.path, scan: scan.message, applied, ...result }, null, 2));
  } else {
    out(scan.message ?? '');
    if (result.rows.length > 0) out(table(result.rows));
    if (result.rows.length > SHOWN) out(`… ${result.rows.length - SHOWN} more (--json lists them all)`);
    if (applied) out(applied);
    else if (result.counts.accepted > 0)
      out(`vc2m relink ${positionals.join(' ')} --apply places the ${result.counts.accepted} unambiguous matches (--mode ${mode})`);
    if (result.counts.unsettled > 0)
      out(`${result.counts.unsettled} refs have more than one file: choose in the app (Missing files → Locate files…); none was picked`);
  }
  return result.counts.unsettled > 0 || result.counts.failed > 0 ? EXIT.problems : EXIT.ok;
}
