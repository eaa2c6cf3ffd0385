import { resolve } from 'node:path';
import { ApiError } from '../../shared/api/errors';
import { callEngine, followJob, openCliLibrary } from './cli-engine';
import { type CommandContext, EXIT } from './commands';
import { formatTable } from './format-table';
import { ProgressPrinter } from './progress-printer';

export const CLIPS_SCHEMA = 'vc2m.clips/1';
const USAGE =
  'usage: vc2m clips plan <youcook2|egoqa> --spec <file> --from <dir> [--json] | vc2m clips cut <youcook2|egoqa> --spec <file> --from <dir> [--mode accurate|copy] [--jobs N] [--json] | vc2m clips precut [--subset ID] [--mode accurate|copy] [--jobs N] [--json]';
const SHOWN = 20;

/**
 * `vc2m clips plan|cut <source> --spec <file> --from <dir>`: the clips the spec names, their source videos under
 * `--from` and what cannot be cut and why; `cut` also cuts them into the source's root (where verify looks). Exit 0
 * when every clip is cut (or was there), 1 when some could not be (listed), 2 on errors.
 */
export async function clips({ engine, positionals, json, library, flags, out }: CommandContext): Promise<number> {
  const [action, given] = positionals;
  const precut = action === 'precut' && positionals.length === 1;
  if (!precut && ((action !== 'plan' && action !== 'cut') || !given || positionals.length !== 2 || !flags.spec || !flags.from))
    throw new ApiError('VALIDATION_ERROR', USAGE);
  const sourceId = (precut ? 'records' : given) as 'records' | 'youcook2' | 'egoqa';
  if (!precut && sourceId !== 'youcook2' && sourceId !== 'egoqa')
    throw new ApiError('VALIDATION_ERROR', `clips are cut for youcook2 and egoqa, not ${sourceId}`);
  const mode = flags.mode ?? 'accurate';
  if (mode !== 'accurate' && mode !== 'copy') throw new ApiError('VALIDATION_ERROR', `--mode is accurate or copy, not ${mode}`);
  const jobs = flags.jobs === undefined ? null : Number(flags.jobs);
  if (jobs !== null && (!Number.isInteger(jobs) || jobs < 1 || jobs > 32))
    throw new ApiError('VALIDATION_ERROR', `--jobs is a whole number from 1 to 32, not ${flags.jobs}`);
  await openCliLibrary(engine, library);
  const started = precut
    ? await engine.call('clips.precut', { subsetId: flags.subset ?? null, mode, jobs })
    : await engine.call('clips.run', { sourceId, spec: resolve(flags.spec as string), from: resolve(flags.from as string), mode, jobs, cut: action === 'cut' });
  if (!started.ok) throw ApiError.fromShape(started.error);
  const job = await followJob(engine, started.value as Parameters<typeof followJob>[1], new ProgressPrinter());
  if (job.state === 'cancelled') return EXIT.interrupted;
  if (job.state !== 'finished') throw new ApiError('VALIDATION_ERROR', `${action} ${job.state}: ${job.message ?? ''}`);
  const rows = await callEngine(engine, 'clips.items', { sourceId });
  const problems = rows.filter((r) => r.state === 'unusable' || r.state === 'failed');
  if (json) out(JSON.stringify({ schema: CLIPS_SCHEMA, library: engine.library.current()?.path, job, clips: rows }, null, 2));
  else {
    out(job.message ?? '');
    if (problems.length > 0) {
      out(
        formatTable(
          ['ref', 'state', 'why'],
          problems.slice(0, SHOWN).map((r) => [r.ref, r.state, r.reason ?? r.error ?? '']),
        ),
      );
      if (problems.length > SHOWN) out(`… ${problems.length - SHOWN} more (--json lists them all)`);
    }
  }
  const notDone = rows.filter((r) => r.state !== 'cut' && r.state !== 'kept').length;
  return (action === 'plan' ? problems.length : notDone) > 0 ? EXIT.problems : EXIT.ok;
}
