import { eventChannel, requestChannel } from '../../shared/api/channels';
import { methodNames } from '../../shared/api/contract';
import type { ApiResult } from '../../shared/api/errors';
import { isEventName } from '../../shared/api/events';
import type { EngineLike } from '../engine/engine-like';

/** The parts of Electron's ipcMain and IPC event this wiring uses; tests pass stand-ins because the binary is absent. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}
export interface IpcEventLike {
  senderFrame: { url: string; parent: unknown } | null;
}

/**
 * Registers one handler per contract method. Each checks that the call comes from our own top-level page,
 * then hands the raw argument to the engine client, which validates it before anything is done.
 */
export function registerApi(ipcMain: IpcMainLike, engine: EngineLike, isTrustedUrl: (url: string) => boolean): () => void {
  for (const method of methodNames) {
    ipcMain.handle(requestChannel(method), async (event, raw): Promise<ApiResult<unknown>> => {
      const frame = event.senderFrame;
      if (!frame || frame.parent !== null || !isTrustedUrl(frame.url)) {
        return { ok: false, error: { code: 'FORBIDDEN_SENDER', message: `${method}: request from an untrusted frame was refused` } };
      }
      return engine.call(method, raw);
    });
  }
  return () => {
    for (const method of methodNames) ipcMain.removeHandler(requestChannel(method));
  };
}

/** Forwards engine events to the windows; only events named in the contract go out. */
export function forwardEvents(engine: EngineLike, send: (channel: string, payload: unknown) => void): () => void {
  return engine.onEvent((name, payload) => {
    if (isEventName(name)) send(eventChannel(name), payload);
  });
}
