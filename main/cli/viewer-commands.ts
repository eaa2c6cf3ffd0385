import { ApiError } from '../../shared/api/errors';
import { sampleStatusOf } from '../../shared/api/viewer-models';
import { parseQuery } from '../services/search/search-query';
import { markedSnippet } from '../services/search/snippet';
import { callEngine, followJob, openCliLibrary } from './cli-engine';
import { type CommandContext, EXIT } from './commands';
import { ProgressPrinter } from './progress-printer';

export const SHOW_SCHEMA = 'vc2m.show/1';

/** `vc2m show <subset> <index> [--json]`: one record as stored, the file its ref resolves to, its media's status. */
export async function show({ engine, positionals, json, library, out }: CommandContext): Promise<number> {
  const [subsetId, indexText] = positionals;
  if (positionals.length !== 2 || !/^\d+$/.test(indexText ?? '')) throw new ApiError('VALIDATION_ERROR', 'usage: vc2m show <subset> <index> [--json]');
  await openCliLibrary(engine, library);
  const sample = await callEngine(engine, 'viewer.sample', { subsetId: subsetId as string, index: Number(indexText) });
  const status = sampleStatusOf(sample);
  let record: unknown = null;
  try {
    record = JSON.parse(sample.recordText);
  } catch {
    record = null;
  }
  if (json) {
    out(
      JSON.stringify(
        {
          schema: SHOW_SCHEMA,
          subset: sample.subsetId,
          index: sample.index,
          source: sample.sourceId,
          ref: sample.ref,
          start: sample.start,
          end: sample.end,
          status,
          path: sample.located?.path ?? sample.verified?.path ?? null,
          rule: sample.located?.rule ?? sample.verified?.rule ?? null,
          verified: sample.verified,
          record,
        },
        null,
        2,
      ),
    );
  } else {
    const segment = sample.start !== null || sample.end !== null ? ` [${sample.start ?? '0'} s – ${sample.end ?? 'end'} s]` : '';
    out(
      `${sample.subsetId} #${sample.index}${sample.ref ? `  ${sample.sourceId}: ${sample.ref}${segment}` : `  (no media${sample.flag ? `: ${sample.flag}` : ''})`}`,
    );
    if (sample.ref) {
      out(`media    ${status}${sample.verified?.detail ? ` (${sample.verified.detail})` : ''}`);
      out(`path     ${sample.located ? `${sample.located.path} (rule: ${sample.located.rule})` : 'not found under the source’s root'}`);
    }
    out(sample.recordText);
  }
  return status === 'ok' || status === 'no-media' ? EXIT.ok : EXIT.problems;
}

export const SEARCH_SCHEMA = 'vc2m.search/1';

/**
 * `vc2m search <query> [--subset ID] [--source ID] [--status S] [--limit N] [--json]`: the viewer's search, for
 * scripts. The first search of a library builds the full-text index here (progress on stderr), as the app does in
 * the background; `total` counts every matching record, not the page.
 */
export async function search({ engine, positionals, json, library, flags, out }: CommandContext): Promise<number> {
  const usage = 'usage: vc2m search <query> [--subset ID] [--source ID] [--status ok|missing|corrupt|unchecked] [--limit N] [--json]';
  if (positionals.length === 0) throw new ApiError('VALIDATION_ERROR', usage);
  const limit = flags.limit === undefined ? 20 : Number(flags.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new ApiError('VALIDATION_ERROR', `--limit takes a whole number from 1 to 200\n${usage}`);
  const status = flags.status;
  if (status !== undefined && !['ok', 'missing', 'corrupt', 'unchecked'].includes(status))
    throw new ApiError('VALIDATION_ERROR', `--status is one of ok, missing, corrupt, unchecked\n${usage}`);
  await openCliLibrary(engine, library);
  const building = await callEngine(engine, 'search.build', {});
  if (building) {
    const job = await followJob(engine, building, new ProgressPrinter());
    if (job.state !== 'finished') process.stderr.write(`vc2m: the search index was not finished (${job.state}); part of the library is searched\n`);
  }
  const page = await callEngine(engine, 'search.query', {
    query: positionals.join(' '),
    limit,
    ...(flags.subset ? { subsetId: flags.subset } : {}),
    ...(flags.source ? { sourceId: flags.source } : {}),
    ...(status ? { status: status as 'ok' | 'missing' | 'corrupt' | 'unchecked' } : {}),
  });
  const hits = page.hits.map((h) => ({
    subset: h.subsetId,
    index: h.index,
    ref: h.ref,
    status: h.status,
    snippet: markedSnippet({ text: h.snippet, marks: h.marks }),
  }));
  if (json) {
    out(JSON.stringify({ schema: SEARCH_SCHEMA, total: page.total, indexed: page.indexed, records: page.records, hits }, null, 2));
  } else {
    if (parseQuery(positionals.join(' ')).length === 0)
      process.stderr.write('vc2m: the query has no word to search for (letters or digits); nothing matches\n');
    out(
      `${page.total.toLocaleString('en-US')} ${page.total === 1 ? 'record matches' : 'records match'}${page.indexed < page.records ? ` (the index covers ${page.indexed} of ${page.records} records)` : ''}`,
    );
    for (const h of hits) out(`${h.subset} #${h.index}  ${h.status}  ${h.ref ?? '(no media)'}\n    ${h.snippet}`);
  }
  return EXIT.ok;
}
