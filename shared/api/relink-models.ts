import { z } from 'zod';

export const relinkRules = ['path', 'name', 'stem', 'youtube-id'] as const;

/** One proposal of a relink scan: a still-missing ref, the file(s) found for it, how, and where it would go. */
export const RelinkProposalSchema = z.object({
  id: z.number().int(),
  sourceId: z.string(),
  ref: z.string(),
  target: z.string(),
  rule: z.enum(relinkRules),
  candidates: z.array(z.string()),
  ambiguous: z.boolean(),
  chosen: z.string().nullable(),
  accepted: z.boolean(),
  state: z.enum(['proposed', 'applied', 'failed']),
  /** How it was placed: hard link, symbolic link (another file system), copy, move. */
  how: z.string().nullable(),
  error: z.string().nullable(),
});
export type RelinkProposal = z.infer<typeof RelinkProposalSchema>;

export const RelinkCountsSchema = z.object({
  total: z.number().int(),
  byRule: z.record(z.string(), z.number().int()),
  ambiguous: z.number().int(),
  /** Ambiguous proposals still without a chosen file. */
  unsettled: z.number().int(),
  accepted: z.number().int(),
  applied: z.number().int(),
  failed: z.number().int(),
});
export type RelinkCounts = z.infer<typeof RelinkCountsSchema>;

export const RelinkPageSchema = z.object({ counts: RelinkCountsSchema, rows: z.array(RelinkProposalSchema) });
export type RelinkPage = z.infer<typeof RelinkPageSchema>;
