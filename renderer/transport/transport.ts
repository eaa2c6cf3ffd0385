import { buildMethodTree, type Vc2Api } from '../../shared/api/bridge';
import type { PickPathsArgs } from '../../shared/api/desktop';
import { ApiError } from '../../shared/api/errors';
import { MEDIA_SCHEME_PREFIX, mediaPath, WEB_MEDIA_PREFIX } from '../../shared/api/media-url';
import { createElectronTransport, desktopBridge } from './electron';

export { setDesktopBridge } from './electron';

import type { ConnectionState, Transport } from './types';
import { createWebTransport } from './web';

export type { ConnectionState, Transport } from './types';

let active: Transport | null = null;

function transport(): Transport {
  active ??= 'vc2' in window ? createElectronTransport() : createWebTransport();
  return active;
}

/** Tests install a fake transport before rendering. */
export function setTransport(next: Transport | null): void {
  active = next;
}

const methods = buildMethodTree((method) => async (args?: unknown) => {
  const result = await transport().call(method, args ?? {});
  if (!result.ok) throw ApiError.fromShape(result.error);
  return result.value;
});

/** The typed API every page uses; failures arrive as ApiError with a code and a message for the user. */
export const api = {
  ...methods,
  on: (event, listener) => transport().on(event, listener),
} as Vc2Api;

/**
 * The system's file picker (Electron only): the chosen paths, null when closed without a choice or when there is no
 * picker (the web host: `hasPicker()` says which).
 */
export async function pickPaths(args: PickPathsArgs): Promise<string[] | null> {
  const desktop = desktopBridge();
  if (!desktop) return null;
  const result = await desktop.pickPaths(args);
  if (!result.ok) throw ApiError.fromShape(result.error);
  return result.value;
}

export const hasPicker = (): boolean => desktopBridge() !== null;

/** The desktop shell can show a file in the system's file manager; the web host cannot. */
export const canReveal = (): boolean => typeof desktopBridge()?.reveal === 'function';

/** Shows a media ref's file in the system's file manager (desktop only); the path shown. */
export async function revealMedia(sourceId: string, ref: string, subdir = ''): Promise<string | null> {
  const reveal = desktopBridge()?.reveal;
  if (!reveal) return null;
  const result = await reveal({ sourceId, ref, subdir });
  if (!result.ok) throw ApiError.fromShape(result.error);
  return result.value;
}

/** The URL a <video> or <img> loads a media ref from: the desktop's media scheme, or the web host's media route. */
export function mediaUrl(sourceId: string, ref: string, options: Parameters<typeof mediaPath>[2] = {}): string {
  const kind = active?.kind ?? ('vc2' in window ? 'electron' : 'web');
  return `${kind === 'electron' ? MEDIA_SCHEME_PREFIX : WEB_MEDIA_PREFIX}${mediaPath(sourceId, ref, options)}`;
}

export function onConnection(listener: (state: ConnectionState) => void): () => void {
  return transport().onConnection(listener);
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
