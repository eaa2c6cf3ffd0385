import { z } from 'zod';

const examples = <T extends z.ZodType>(item: T) => z.object({ count: z.number().int(), examples: z.array(item) });

/** Two copies compared per subset (manifest.compare, `vc2m manifest compare`); see main/services/manifest/manifest-compare.ts. */
export const ManifestComparisonSchema = z.object({
  theirs: z.object({ path: z.string(), library: z.string(), createdAt: z.string(), level: z.string(), hashed: z.boolean() }),
  hashesCompared: z.boolean(),
  /** Subsets whose annotation file differs between the copies (another revision), with both sha256. */
  annotationsDiffer: z.array(z.object({ subset: z.string(), here: z.string().nullable(), there: z.string().nullable() })),
  subsets: z.array(
    z.object({
      subset: z.string(),
      theyHave: examples(z.object({ ref: z.string(), here: z.string() })),
      onlyHere: examples(z.object({ ref: z.string(), there: z.string() })),
      differ: examples(z.object({ ref: z.string(), what: z.enum(['size', 'sha256']), here: z.string(), there: z.string() })),
      same: z.number().int(),
      sizeOnly: z.number().int(),
    }),
  ),
});
export type ManifestComparisonInfo = z.infer<typeof ManifestComparisonSchema>;
