import { describe, expect, it } from 'vitest';
import { requestChannel } from '../../shared/api/channels';
import { methodNames } from '../../shared/api/contract';
import type { ApiResult } from '../../shared/api/errors';
import { forwardEvents, type IpcEventLike, type IpcMainLike, registerApi } from './ipc';
import { isAppUrl } from './security';

type Listener = (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>;

/** ipcMain without the Electron binary: records the handlers registerApi installs so the test can invoke them. */
function fakeIpcMain() {
  const handlers = new Map<string, Listener>();
  const ipc: IpcMainLike = {
    handle: (channel, listener) => handlers.set(channel, listener),
    removeHandler: (channel) => handlers.delete(channel),
  };
  return { ipc, handlers };
}

function recordingEngine(calls: string[]) {
  return {
    call: async (method: string): Promise<ApiResult<unknown>> => {
      calls.push(method);
      return { ok: true, value: null };
    },
    onEvent: () => () => undefined,
  };
}

const appFrame: IpcEventLike = { senderFrame: { url: 'vc2-app://app/index.html', parent: null } };

describe('Electron IPC wiring', () => {
  it('registers exactly one handler per contract method, and removes them all', () => {
    const { ipc, handlers } = fakeIpcMain();
    const dispose = registerApi(ipc, recordingEngine([]), isAppUrl);
    expect([...handlers.keys()].sort()).toEqual(methodNames.map(requestChannel).sort());
    dispose();
    expect(handlers.size).toBe(0);
  });

  it('refuses calls from other origins and from sub-frames before the engine sees them', async () => {
    const { ipc, handlers } = fakeIpcMain();
    const calls: string[] = [];
    registerApi(ipc, recordingEngine(calls), isAppUrl);
    const handler = handlers.get(requestChannel('library.close')) as Listener;
    const fromWeb = (await handler({ senderFrame: { url: 'https://evil.example/', parent: null } }, {})) as ApiResult<unknown>;
    const fromFrame = (await handler({ senderFrame: { url: 'vc2-app://app/index.html', parent: {} } }, {})) as ApiResult<unknown>;
    const noFrame = (await handler({ senderFrame: null }, {})) as ApiResult<unknown>;
    for (const result of [fromWeb, fromFrame, noFrame]) expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    expect(calls).toEqual([]);
    expect(await handler(appFrame, {})).toEqual({ ok: true, value: null });
    expect(calls).toEqual(['library.close']);
  });

  it('forwards only contract events to the windows', () => {
    let emit: (name: string, payload: unknown) => void = () => undefined;
    const sent: string[] = [];
    forwardEvents(
      {
        call: async () => ({ ok: true, value: null }),
        onEvent: (l) => {
          emit = l;
          return () => undefined;
        },
      },
      (channel) => sent.push(channel),
    );
    emit('job.progress', {});
    emit('internal.secret', {});
    expect(sent).toEqual(['vc2:event:job.progress']);
  });
});
