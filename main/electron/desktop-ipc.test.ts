import { describe, expect, it } from 'vitest';
import { DESKTOP_PICK_PATHS_CHANNEL } from '../../shared/api/channels';
import type { ApiResult } from '../../shared/api/errors';
import { registerDesktop, type ShowOpenDialog } from './desktop-ipc';
import type { IpcEventLike, IpcMainLike } from './ipc';
import { isAppUrl } from './security';

type Listener = (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>;

function setup(answer: { canceled: boolean; filePaths: string[] }) {
  const handlers = new Map<string, Listener>();
  const ipc: IpcMainLike = { handle: (c, l) => handlers.set(c, l), removeHandler: (c) => handlers.delete(c) };
  const asked: Array<Parameters<ShowOpenDialog>[0]> = [];
  const dispose = registerDesktop(
    ipc,
    async (options) => {
      asked.push(options);
      return answer;
    },
    isAppUrl,
  );
  const pick = (raw: unknown, frame: IpcEventLike = { senderFrame: { url: 'vc2-app://app/index.html', parent: null } }) =>
    (handlers.get(DESKTOP_PICK_PATHS_CHANNEL) as Listener)(frame, raw) as Promise<ApiResult<string[] | null>>;
  return { handlers, asked, dispose, pick };
}

describe('the desktop file picker over IPC', () => {
  it('opens the system picker for an archive or a folder and returns the chosen paths; closing it returns null', async () => {
    const { asked, pick } = setup({ canceled: false, filePaths: ['/home/r/Downloads/video_train.zip'] });
    const filters = [{ name: 'Archives', extensions: ['zip', 'gz', 'tar'] }];
    expect(await pick({ kind: 'file', title: 'Archive holding CLEVRER', filters })).toEqual({ ok: true, value: ['/home/r/Downloads/video_train.zip'] });
    expect(asked[0]).toEqual({ title: 'Archive holding CLEVRER', properties: ['openFile'], filters });
    await pick({ kind: 'folder', title: 'Folder', multiple: true, filters });
    expect(asked[1]).toEqual({ title: 'Folder', properties: ['openDirectory', 'multiSelections'], filters: [] });
    expect(await setup({ canceled: true, filePaths: [] }).pick({ kind: 'folder', title: 'x' })).toEqual({ ok: true, value: null });
  });

  it('refuses other frames and bad arguments before any picker opens; dispose removes the handler', async () => {
    const { asked, pick, dispose, handlers } = setup({ canceled: false, filePaths: ['/x'] });
    expect(await pick({ kind: 'file', title: 'x' }, { senderFrame: { url: 'https://evil.example/', parent: null } })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER' },
    });
    expect(await pick({ kind: 'anything', title: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_ERROR', message: expect.stringMatching(/kind/) },
    });
    expect(await pick({ kind: 'file', title: 'x', filters: [{ name: 'a', extensions: ['../x'] }] })).toMatchObject({ ok: false });
    expect(asked).toEqual([]);
    dispose();
    expect(handlers.size).toBe(0);
  });
});
