import { z } from 'zod';
import { VerifyLevelSchema } from '../../../shared/api/models';

/**
 * What each job kind keeps as its parameters in the library's jobs table. A job is read back from there after a
 * restart (or by another version of the app), so its parameters are checked again before it runs: a row that does
 * not match fails that job with the reason instead of reaching its body as the wrong shape.
 */
export const jobParamSchemas = {
  'library.measure': z.object({}),
  'annotations.import': z.object({ path: z.string().min(1) }),
  'annotations.fetch': z.object({ revision: z.string().min(1) }),
  'verify.run': z.object({
    level: VerifyLevelSchema,
    ffmpeg: z.string().optional(),
    sourceId: z.string().nullable(),
    subsetId: z.string().nullable(),
    force: z.boolean(),
  }),
  'export.run': z.object({ path: z.string().min(1), level: VerifyLevelSchema, precut: z.boolean().default(false) }),
  'media.get': z.object({
    sources: z.array(z.string()).min(1),
    only: z.string().nullable(),
    retryFailed: z.boolean(),
    // Jobs queued before the option existed extracted what they downloaded.
    extract: z.boolean().default(true),
    tables: z.array(z.string()).default([]),
    // Jobs queued before M3IT decoding took the tasks of the ingested subsets, as a get without --task does.
    tasks: z.array(z.string()).default([]),
  }),
  'search.build': z.object({}),
  'manifest.write': z.object({ level: VerifyLevelSchema, hash: z.boolean(), out: z.string().min(1) }),
  'relink.scan': z.object({ folders: z.array(z.string().min(1)).min(1), sourceId: z.string().nullable() }),
  'relink.apply': z.object({ mode: z.enum(['link', 'copy', 'move']) }),
  'clips.run': z.object({
    sourceId: z.enum(['youcook2', 'egoqa', 'records']),
    // Empty for `records` (pre-cut from the records' own start/end).
    spec: z.string(),
    from: z.string(),
    subsetId: z.string().nullable().default(null),
    mode: z.enum(['accurate', 'copy']),
    jobs: z.number().int().nullable(),
    cut: z.boolean(),
    // Jobs queued before ffmpeg.wasm cut with the native ffmpeg.
    backend: z.enum(['native', 'wasm']).default('native'),
  }),
  'media.import': z.object({ sourceId: z.string().min(1), path: z.string().min(1), mode: z.enum(['root', 'link', 'copy', 'move']) }),
} as const;

export type JobParams<K extends keyof typeof jobParamSchemas> = z.infer<(typeof jobParamSchemas)[K]>;
