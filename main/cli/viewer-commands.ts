import { ApiError } from '../../shared/api/errors';
import type { SampleDetail } from '../../shared/api/models';
import { callEngine, openCliLibrary } from './cli-engine';
import { type CommandContext, EXIT } from './commands';

export const SHOW_SCHEMA = 'vc2m.show/1';

/** The media's state in one word, as the viewer's filters name it. */
export function sampleStatus(sample: SampleDetail): 'ok' | 'missing' | 'corrupt' | 'unchecked' | 'no-media' {
  if (!sample.sourceId || !sample.ref) return 'no-media';
  if (!sample.verified) return 'unchecked';
  if (sample.verified.status === 'ok') return 'ok';
  return sample.verified.status === 'corrupt' ? 'corrupt' : 'missing';
}

/** `vc2m show <subset> <index> [--json]`: one record as stored, the file its ref resolves to, its media's status. */
export async function show({ engine, positionals, json, library, out }: CommandContext): Promise<number> {
  const [subsetId, indexText] = positionals;
  if (positionals.length !== 2 || !/^\d+$/.test(indexText ?? '')) throw new ApiError('VALIDATION_ERROR', 'usage: vc2m show <subset> <index> [--json]');
  await openCliLibrary(engine, library);
  const sample = await callEngine(engine, 'viewer.sample', { subsetId: subsetId as string, index: Number(indexText) });
  const status = sampleStatus(sample);
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
