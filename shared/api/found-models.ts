import { z } from 'zod';

/** Files in the watched Downloads folder that are what a manual source's card asks for (main/services/downloads-watch). */
export const FoundFilesSchema = z.object({
  sourceId: z.string(),
  /** The file to import: the only one, or the first part of a set (the import takes its siblings with it). */
  path: z.string(),
  names: z.array(z.string()),
  bytes: z.number(),
});
export type FoundFiles = z.infer<typeof FoundFilesSchema>;
