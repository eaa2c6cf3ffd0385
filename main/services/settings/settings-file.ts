import { existsSync, readFileSync, renameSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../lib/atomic-write';

export const SettingsFileSchema = z.object({
  version: z.literal(1),
  hfEndpoint: z.string().default(''),
  downloadConcurrency: z.number().int().min(1).max(32).default(4),
  bandwidthLimitMBps: z.number().min(0).default(0),
  deleteArchivesAfterExtract: z.boolean().default(false),
  watchDownloads: z.boolean().default(false),
  downloadsFolder: z.string().default(''),
  ffmpegPath: z.string().default(''),
  mirrors: z.record(z.string(), z.string()).default({}),
  recent: z.array(z.object({ path: z.string(), name: z.string(), lastOpenedAt: z.string() })).default([]),
  lastLibrary: z.string().nullable().default(null),
});
export type SettingsFile = z.infer<typeof SettingsFileSchema>;

export const MAX_RECENT = 12;

export function defaultSettingsFile(): SettingsFile {
  return SettingsFileSchema.parse({ version: 1 });
}

/** Reads settings.json; a damaged file is moved aside (never deleted) and defaults are used, with a warning. */
export function loadSettingsFile(configDir: string, warn: (message: string) => void): SettingsFile {
  const file = join(configDir, 'settings.json');
  if (!existsSync(file)) return defaultSettingsFile();
  try {
    return SettingsFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    const aside = `${file}.damaged-${Date.now()}`;
    renameSync(file, aside);
    warn(`${file} could not be read (${(error as Error).message.split('\n')[0]}); it was moved to ${aside} and defaults are used.`);
    return defaultSettingsFile();
  }
}

export async function saveSettingsFile(configDir: string, settings: SettingsFile): Promise<void> {
  await mkdir(configDir, { recursive: true, mode: 0o700 });
  await writeFileAtomic(join(configDir, 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
}
