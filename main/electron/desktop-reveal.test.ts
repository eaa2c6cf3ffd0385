import { describe, expect, it } from 'vitest';
import { DESKTOP_REVEAL_CHANNEL } from '../../shared/api/channels';
import type { ApiResult } from '../../shared/api/errors';
import { registerReveal } from './desktop-reveal';
import type { IpcEventLike, IpcMainLike } from './ipc';
import { isAppUrl } from './security';

type Listener = (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>;

function setup() {
  const handlers = new Map<string, Listener>();
  const ipc: IpcMainLike = { handle: (c, l) => handlers.set(c, l), removeHandler: (c) => handlers.delete(c) };
  const calls: unknown[] = [];
  const shown: string[] = [];
  const engine = {
    async call(method: string, args: unknown): Promise<ApiResult<unknown>> {
      calls.push({ method, args });
      const { ref } = args as { ref: string };
      return ref === 'k400/train/a.mp4'
        ? { ok: true, value: { path: '/data/k400/train/a.mp4', size: 1, mtimeMs: 0, contentType: 'video/mp4', rule: 'join' } }
        : { ok: false, error: { code: 'NOT_FOUND', message: 'no such media' } };
    },
    onEvent: () => () => undefined,
  };
  registerReveal(ipc, engine, (p) => shown.push(p), isAppUrl);
  const reveal = (raw: unknown, frame: IpcEventLike = { senderFrame: { url: 'vc2-app://app/index.html', parent: null } }) =>
    (handlers.get(DESKTOP_REVEAL_CHANNEL) as Listener)(frame, raw) as Promise<ApiResult<string>>;
  return { calls, shown, reveal };
}

describe('reveal in folder over IPC', () => {
  it('shows the file the engine locates for a ref, and nothing for a ref it refuses', async () => {
    const { calls, shown, reveal } = setup();
    expect(await reveal({ sourceId: 'kinetics', ref: 'k400/train/a.mp4' })).toEqual({ ok: true, value: '/data/k400/train/a.mp4' });
    expect(calls).toEqual([{ method: 'viewer.locate', args: { sourceId: 'kinetics', ref: 'k400/train/a.mp4', subdir: '' } }]);
    expect(await reveal({ sourceId: 'kinetics', ref: '../../etc/passwd' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(shown).toEqual(['/data/k400/train/a.mp4']);
  });

  it('refuses other frames and arguments that are not a source and a ref before asking the engine', async () => {
    const { calls, shown, reveal } = setup();
    expect(await reveal({ sourceId: 'kinetics', ref: 'x' }, { senderFrame: { url: 'https://evil.example/', parent: null } })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER' },
    });
    expect(await reveal({ path: '/etc' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
    expect(calls).toEqual([]);
    expect(shown).toEqual([]);
  });
});
