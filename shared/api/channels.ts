import type { MethodName } from './contract';
import type { EventName } from './events';

/** Every IPC channel starts with this, so foreign channels are rejected with one string check. */
export const CHANNEL_PREFIX = 'vc2:';
const EVENT_PREFIX = 'vc2:event:';
/** The desktop shell's own channel (its file picker, shared/api/desktop.ts), not an engine method. */
export const DESKTOP_PICK_PATHS_CHANNEL = 'vc2:desktop:pick-paths';

export function requestChannel(method: MethodName): string {
  return `${CHANNEL_PREFIX}${method}`;
}

export function eventChannel(event: EventName): string {
  return `${EVENT_PREFIX}${event}`;
}

export function methodFromChannel(channel: string): string | null {
  if (!channel.startsWith(CHANNEL_PREFIX) || channel.startsWith(EVENT_PREFIX)) return null;
  return channel.slice(CHANNEL_PREFIX.length);
}
/** The desktop shell's "reveal in folder" for a media ref (the system's file manager), not an engine method. */
export const DESKTOP_REVEAL_CHANNEL = 'vc2:desktop:reveal';
