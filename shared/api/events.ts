import { z } from 'zod';
import { FoundFilesSchema } from './found-models';
import { JobSnapshotSchema, LibraryInfoSchema, SettingsSchema } from './models';

/** Every event the engine pushes. Payloads are whole snapshots so that a repeated or late event is harmless. */
export const events = {
  /** A job changed: progress (at most 10 per second per job) or state (always sent). */
  'job.progress': JobSnapshotSchema,
  /** A library was opened, created or closed. */
  'library.changed': z.object({ current: LibraryInfoSchema.nullable() }),
  /** Settings changed (from this window or another one). */
  'settings.changed': SettingsSchema,
  /** The watched Downloads folder holds (or no longer holds) files a manual source's card asks for. */
  'media.found': z.array(FoundFilesSchema),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export const eventNames = Object.keys(events) as EventName[];

export function isEventName(name: string): name is EventName {
  return Object.hasOwn(events, name);
}
