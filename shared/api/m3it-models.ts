import { z } from 'zod';

const Texts = z.object({ question: z.string(), answer: z.string() });

/** The check of M3IT's index rule for one subset of a task (main/services/m3it/task-check.ts). */
export const M3itCheckSchema = z.object({
  task: z.string(),
  records: z.number().int(),
  highestUsed: z.number().int().nullable(),
  used: z.number().int(),
  beyond: z.object({ count: z.number().int(), examples: z.array(z.number().int()) }),
  unexpectedRefs: z.object({ count: z.number().int(), examples: z.array(z.string()) }),
  spotChecked: z.number().int(),
  mismatched: z.object({
    count: z.number().int(),
    examples: z.array(z.object({ index: z.number().int(), annotation: Texts, m3it: z.object({ inputs: z.string(), outputs: z.string() }) })),
  }),
  verdict: z.enum(['ok', 'mismatch']),
});
export type M3itCheck = z.infer<typeof M3itCheckSchema>;

/** One M3IT task (media.m3it): its JSONL in the ledger, what its decode wrote, and what the check of the index rule found. */
export const M3itTaskStatusSchema = z.object({
  task: z.string(),
  subsets: z.array(z.string()),
  /** The task's train file in the download ledger; null before a get planned it. */
  file: z
    .object({
      target: z.string(),
      state: z.enum(['queued', 'downloading', 'verifying', 'done', 'failed', 'paused']),
      bytes: z.number(),
      total: z.number().nullable(),
      error: z.string().nullable(),
    })
    .nullable(),
  decoded: z
    .object({
      repoPath: z.string().nullable(),
      records: z.number().int(),
      written: z.number().int(),
      unchanged: z.number().int(),
      notJpeg: z.number().int(),
      problems: z.number().int(),
      at: z.number(),
    })
    .nullable(),
  /** ok / mismatch per the check; unchecked when none of its subsets' annotations is ingested; null before a decode. */
  verdict: z.enum(['ok', 'mismatch', 'unchecked']).nullable(),
  notJpegExamples: z.array(z.object({ index: z.number().int(), format: z.string() })),
  problemExamples: z.array(z.object({ index: z.number().int().nullable(), offset: z.number().int(), reason: z.string() })),
  checks: z.array(M3itCheckSchema),
  note: z.string().nullable(),
});
export type M3itTaskStatus = z.infer<typeof M3itTaskStatusSchema>;
