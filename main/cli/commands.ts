import { resolve } from 'node:path';
import { ApiError } from '../../shared/api/errors';
import type { MissingMedia } from '../../shared/api/models';
import { csvLine, MISSING_CSV_HEADER, missingCsvCells, SUBSET_CSV_HEADER, subsetCsvCells } from '../../shared/api/report-csv';
import type { Engine } from '../engine/engine';
import { callEngine, followJob, openCliLibrary } from './cli-engine';
import { formatTable } from './format-table';
import { ProgressPrinter } from './progress-printer';

export interface CommandContext {
  engine: Engine;
  positionals: string[];
  json: boolean;
  revision: string | undefined;
  flags: {
    level?: string | undefined;
    source?: string | undefined;
    subset?: string | undefined;
    force?: boolean | undefined;
    csv?: boolean | undefined;
    missing?: boolean | undefined;
    clear?: boolean | undefined;
    only?: string | undefined;
    retryFailed?: boolean | undefined;
    failed?: boolean | undefined;
    all?: boolean | undefined;
    mode?: string | undefined;
    downloadOnly?: boolean | undefined;
    table?: string[] | undefined;
    task?: string[] | undefined;
    hash?: boolean | undefined;
    apply?: boolean | undefined;
    precut?: boolean | undefined;
    spec?: string | undefined;
    from?: string | undefined;
    jobs?: string | undefined;
    out?: string | undefined;
    limit?: string | undefined;
    status?: string | undefined;
  };
  library: string | undefined;
  out: (text: string) => void;
}

/** Exit codes, documented in the README: the same numbers for every command. */
export const EXIT = { ok: 0, problems: 1, error: 2, interrupted: 130 } as const;

/** Versioned names of the --json documents; a breaking change to a document bumps its number. */
export const JSON_SCHEMAS = {
  status: 'vc2m.status/1',
  sources: 'vc2m.sources/1',
  detect: 'vc2m.detect/1',
  report: 'vc2m.report/1',
  downloads: 'vc2m.downloads/1',
  jobs: 'vc2m.jobs/1',
} as const;

export function need(positionals: string[], count: number, usage: string): string[] {
  if (positionals.length !== count) throw new ApiError('VALIDATION_ERROR', `usage: ${usage}`);
  return positionals;
}

/** Folders on the command line may be relative to where the command runs; the engine takes absolute paths. */
function folder(path: string | undefined): string {
  return resolve(path ?? '.');
}

export async function init({ engine, positionals, out }: CommandContext): Promise<number> {
  const [dir] = need(positionals, 1, 'vc2m init <dir>');
  const result = await engine.call('library.create', { path: folder(dir) });
  if (!result.ok) throw ApiError.fromShape(result.error);
  const info = result.value as { path: string; databasePath: string };
  out(`created library ${info.path} (${info.databasePath})`);
  return EXIT.ok;
}

export async function annotationsImport({ engine, positionals, library, out }: CommandContext): Promise<number> {
  const [dir] = need(positionals, 1, 'vc2m annotations import <dir>');
  await openCliLibrary(engine, library);
  return runJob(engine, await engine.call('annotations.import', { path: folder(dir) }), 'import', out);
}

export async function annotationsFetch({ engine, positionals, library, revision, out }: CommandContext): Promise<number> {
  need(positionals, 0, 'vc2m annotations fetch [--revision <branch|tag|commit>]');
  await openCliLibrary(engine, library);
  return runJob(engine, await engine.call('annotations.fetch', revision ? { revision } : {}), 'fetch', out);
}

async function runJob(engine: Engine, started: Awaited<ReturnType<Engine['call']>>, what: string, out: (text: string) => void): Promise<number> {
  if (!started.ok) throw ApiError.fromShape(started.error);
  const job = await followJob(engine, started.value as Parameters<typeof followJob>[1], new ProgressPrinter());
  if (job.state === 'cancelled') {
    out(`${what} cancelled; files finished before the cancel are kept`);
    return EXIT.interrupted;
  }
  out(job.state === 'finished' ? (job.message ?? 'done') : `${what} ${job.state}: ${job.message ?? ''}`);
  return job.state === 'finished' ? EXIT.ok : EXIT.problems;
}

export async function annotationsDetect({ engine, json, out }: CommandContext): Promise<number> {
  const candidates = await callEngine(engine, 'annotations.detect', {});
  if (json) out(JSON.stringify({ schema: JSON_SCHEMAS.detect, candidates }, null, 2));
  else if (candidates.length === 0) out('no copy of OpenGVLab/VideoChat2-IT found in the Hugging Face cache');
  else
    out(
      formatTable(
        ['revision', 'files', 'path'],
        candidates.map((c) => [c.revision ?? '', String(c.files), c.path]),
      ),
    );
  return EXIT.ok;
}

export async function sources({ engine, positionals, json, library, flags, out }: CommandContext): Promise<number> {
  // Mirrors belong to this computer's settings, not to a library: no library needs to be open.
  if (positionals[0] === 'set-mirror') {
    const usage = 'vc2m sources set-mirror <source-id> <base-url> | vc2m sources set-mirror <source-id> --clear';
    const [, id, base] = flags.clear ? need(positionals, 2, usage) : need(positionals, 3, usage);
    // Through the contract like the app's calls: the base URL and the id are checked by the same schemas.
    const settings = await callEngine(engine, 'settings.setMirror', { sourceId: id as string, baseUrl: flags.clear ? null : (base as string) });
    const mirror = settings.mirrors[id as string];
    out(mirror ? `${id} is fetched from ${mirror} (the path and query of each URL kept)` : `${id}: mirror cleared, fetched from its own hosts`);
    return EXIT.ok;
  }
  await openCliLibrary(engine, library);
  if (positionals[0] === 'set-root') {
    const [, id, dir] = need(positionals, 3, 'vc2m sources set-root <source-id> <dir>');
    const info = await callEngine(engine, 'sources.setRoot', { sourceId: id as string, path: folder(dir) });
    out(`${info.id} → ${info.root}`);
    return EXIT.ok;
  }
  need(positionals, 0, 'vc2m sources [--json] | vc2m sources set-root <source-id> <dir> | vc2m sources set-mirror <source-id> <base-url>|--clear');
  const list = await callEngine(engine, 'sources.list', {});
  if (json) out(JSON.stringify({ schema: JSON_SCHEMAS.sources, library: engine.library.current()?.path, sources: list }, null, 2));
  else
    out(
      formatTable(
        ['id', 'name', 'root', 'subsets'],
        list.map((s) => [
          s.id,
          s.name,
          s.rootIsDefault ? `${s.root} (default)` : s.root,
          s.subsets.length > 3 ? `${s.subsets.slice(0, 3).join(', ')} … (${s.subsets.length})` : s.subsets.join(', '),
        ]),
      ),
    );
  return EXIT.ok;
}

export async function status({ engine, positionals, json, library, out }: CommandContext): Promise<number> {
  need(positionals, 0, 'vc2m status [--json]');
  await openCliLibrary(engine, library);
  const report = await callEngine(engine, 'annotations.status', {});
  if (json) {
    out(JSON.stringify({ schema: JSON_SCHEMAS.status, library: engine.library.current()?.path, ...report }, null, 2));
    return EXIT.ok;
  }
  const n = (v: number | null) => (v === null ? '—' : v.toLocaleString('en-US'));
  out(`library ${engine.library.current()?.path}; Hub revision ${report.revision ?? 'unknown (not from the Hub)'}`);
  out(
    formatTable(
      ['subset', 'source', 'records', 'expected', 'media refs', 'flagged'],
      report.subsets.map((s) => [
        s.id,
        s.source ?? '—',
        n(s.records),
        n(s.expectedRecords),
        n(s.records === null ? null : s.mediaRefs),
        n(s.records === null ? null : s.flagged),
      ]),
    ),
  );
  return EXIT.ok;
}

export async function verify(context: CommandContext): Promise<number> {
  const { engine, positionals, library, flags, out } = context;
  need(positionals, 0, 'vc2m verify [--level quick] [--source <id>] [--subset <id>] [--force] [--json]');
  await openCliLibrary(engine, library);
  const args: Record<string, unknown> = { level: flags.level ?? 'quick', force: flags.force ?? false };
  if (flags.source) args.sourceId = flags.source;
  if (flags.subset) args.subsetId = flags.subset;
  const started = await engine.call('verify.start', args);
  if (!started.ok) throw ApiError.fromShape(started.error);
  const job = await followJob(engine, started.value as Parameters<typeof followJob>[1], new ProgressPrinter());
  if (job.state === 'cancelled') return EXIT.interrupted;
  if (job.state !== 'finished') throw new ApiError('INTERNAL', `verify ${job.state}: ${job.message ?? ''}`);
  if (!context.json) out(job.message ?? 'verified');
  return printReport({ ...context, flags: { ...flags, missing: flags.missing ?? context.json } });
}

export async function report(context: CommandContext): Promise<number> {
  need(context.positionals, 0, 'vc2m report [--json | --csv] [--missing]');
  await openCliLibrary(context.engine, context.library);
  return printReport(context);
}

/** Prints the report and returns the verify exit code: 0 all media OK, 1 something missing, corrupt or unchecked. */
async function printReport({ engine, json, flags, out }: CommandContext): Promise<number> {
  // The CLI streams the whole missing list itself; the API's cut-off flag has no place in its document.
  const { missingMore: _cut, ...result } = await callEngine(engine, 'verify.report', { missing: false });
  const problems = result.subsets.some((s) => s.missing + s.corrupt + s.unchecked > 0);
  // The missing list can run to millions of refs: it is written as it is read, never held whole.
  const eachMissing = (write: (m: MissingMedia, first: boolean) => void) => {
    let first = true;
    engine.verify.eachMissing((m) => {
      write(m, first);
      first = false;
    });
  };
  if (json) {
    const head = JSON.stringify({ schema: JSON_SCHEMAS.report, library: engine.library.current()?.path, ...result }, null, 2);
    if (!flags.missing) out(head.replace(/\n}$/, ',\n  "missing": null\n}'));
    else {
      out(`${head.replace(/\n}$/, ',\n  "missing": [')}`);
      eachMissing((m, first) => out(`${first ? '' : ','}    ${JSON.stringify(m)}`));
      out('  ]\n}');
    }
  } else if (flags.csv) {
    if (flags.missing) {
      out(csvLine(MISSING_CSV_HEADER));
      eachMissing((m) => out(csvLine(missingCsvCells(m))));
    } else {
      out(csvLine(SUBSET_CSV_HEADER));
      for (const subset of result.subsets) out(csvLine(subsetCsvCells(subset)));
    }
  } else {
    const n = (v: number) => v.toLocaleString('en-US');
    out(
      formatTable(
        ['subset', 'records', 'media', 'present', 'missing', 'corrupt', 'unchecked', 'ok records'],
        result.subsets.map((s) => [s.id, n(s.records), n(s.media), n(s.present), n(s.missing), n(s.corrupt), n(s.unchecked), n(s.ok_records)]),
      ),
    );
    // Where files were found by a rule other than the ref's own path, say how many by which.
    for (const source of result.sources) {
      const rules = Object.entries(source.found_by);
      if (rules.some(([rule]) => rule !== 'join'))
        out(`${source.id}: found ${rules.map(([rule, count]) => `${count.toLocaleString('en-US')} by ${rule}`).join(', ')}`);
    }
    if (flags.missing) eachMissing((m) => out(`${m.subset}\t${m.ref}\t${m.reason}${m.expected ? `\t(looked for ${m.expected})` : ''}`));
  }
  return problems ? EXIT.problems : EXIT.ok;
}

export async function exportCommand(context: CommandContext): Promise<number> {
  const { engine, positionals, library, flags, out } = context;
  const [dir] = need(positionals, 1, 'vc2m export <dir> [--level quick|container|decode] [--precut]');
  await openCliLibrary(engine, library);
  return runJob(engine, await engine.call('export.start', { path: folder(dir), level: flags.level ?? 'quick', precut: flags.precut ?? false }), 'export', out);
}

const JOB_ACTIONS = ['pause', 'resume', 'cancel'] as const;
type JobAction = (typeof JOB_ACTIONS)[number];
/** Which jobs `--all` means for each action: the ones the action can change. */
const ALL_FOR: Record<JobAction, ReadonlySet<string>> = {
  pause: new Set(['queued', 'running']),
  resume: new Set(['paused']),
  cancel: new Set(['queued', 'running', 'paused']),
};

/**
 * `vc2m jobs [--json]` lists the library's jobs; `vc2m jobs pause|resume|cancel <id>...|--all` acts on them, whichever
 * process runs them (the app's are paused or cancelled on its next heartbeat). A resumed job runs here, in the
 * foreground, as `vc2m get` would.
 */
export async function jobs({ engine, positionals, json, library, flags, out }: CommandContext): Promise<number> {
  const usage = 'vc2m jobs [--json] | vc2m jobs pause|resume|cancel <id>...|--all';
  await openCliLibrary(engine, library);
  const [action, ...rest] = positionals;
  if (action === undefined) {
    const list = await callEngine(engine, 'jobs.list', {});
    if (json) out(JSON.stringify({ schema: JSON_SCHEMAS.jobs, library: engine.library.current()?.path, jobs: list }, null, 2));
    else if (list.length === 0) out('no jobs in this library yet');
    else
      out(
        formatTable(
          ['id', 'kind', 'state', 'progress', 'updated', 'message'],
          list.map((j) => [
            String(j.id),
            j.kind,
            j.state,
            j.total ? `${Math.min(100, Math.floor((j.done / j.total) * 100))}%` : '',
            j.updatedAt.replace('T', ' ').slice(0, 19),
            j.errorCode ? `${j.errorCode}: ${j.message ?? ''}` : (j.message ?? ''),
          ]),
        ),
      );
    return EXIT.ok;
  }
  if (!(JOB_ACTIONS as readonly string[]).includes(action)) throw new ApiError('VALIDATION_ERROR', `usage: ${usage}`);
  const verb = action as JobAction;
  let ids: number[];
  if (flags.all) {
    if (rest.length > 0) throw new ApiError('VALIDATION_ERROR', `usage: ${usage} (ids or --all, not both)`);
    ids = (await callEngine(engine, 'jobs.list', {})).filter((j) => ALL_FOR[verb].has(j.state)).map((j) => j.id);
    if (ids.length === 0) {
      out(`no job to ${verb}`);
      return EXIT.ok;
    }
  } else {
    if (rest.length === 0) throw new ApiError('VALIDATION_ERROR', `usage: ${usage}`);
    ids = rest.map((text) => {
      const id = Number(text.replace(/^#/, ''));
      if (!Number.isInteger(id) || id < 1) throw new ApiError('VALIDATION_ERROR', `"${text}" is not a job id (vc2m jobs lists them)`);
      return id;
    });
  }
  const method = verb === 'pause' ? 'jobs.pause' : verb === 'resume' ? 'jobs.resume' : 'jobs.cancel';
  const acted = await callEngine(engine, method, { ids });
  const unknown = ids.filter((id) => !acted.some((j) => j.id === id));
  for (const id of unknown) process.stderr.write(`vc2m: there is no job ${id} in this library\n`);
  let problems = unknown.length > 0;
  for (const job of acted) {
    // Pause and cancel take effect where the job runs; resume runs it here. Either way, wait until it has.
    const final = job.state === 'running' || (verb === 'resume' && job.state === 'queued') ? await followJob(engine, job, new ProgressPrinter()) : job;
    const expected = verb === 'pause' ? 'paused' : verb === 'cancel' ? 'cancelled' : 'finished';
    out(`#${final.id} ${final.kind}: ${final.state}${final.message ? ` (${final.message})` : ''}`);
    if (final.state !== expected) problems = true;
  }
  return problems ? EXIT.problems : EXIT.ok;
}

/** `vc2m import <source-id> <archive-or-folder> [--mode root|link|copy|move]`: media the user already has. */
export async function importMedia({ engine, positionals, library, flags, out }: CommandContext): Promise<number> {
  const [sourceId, path] = need(positionals, 2, 'vc2m import <source-id> <archive-or-folder> [--mode root|link|copy|move]');
  await openCliLibrary(engine, library);
  const mode = (flags.mode ?? 'root') as 'root' | 'link' | 'copy' | 'move';
  const started = await engine.call('media.import', { sourceId: sourceId as string, path: folder(path), mode });
  const code = await runJob(engine, started, 'import', out);
  // The import queues a quick verify of the source: followed here, so the answer is what is now present.
  const importId = started.ok ? (started.value as { id: number }).id : 0;
  const verify = (await callEngine(engine, 'jobs.list', {})).find(
    (j) => j.kind === 'verify.run' && j.id > importId && (j.state === 'queued' || j.state === 'running'),
  );
  if (code !== EXIT.ok || !verify) return code;
  const done = await followJob(engine, verify, new ProgressPrinter());
  out(`verify: ${done.message ?? done.state}`);
  return done.state === 'finished' ? EXIT.ok : EXIT.problems;
}
