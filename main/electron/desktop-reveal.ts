import { DESKTOP_REVEAL_CHANNEL } from '../../shared/api/channels';
import { RevealArgsSchema } from '../../shared/api/desktop';
import type { ApiResult } from '../../shared/api/errors';
import type { EngineLike } from '../engine/engine-like';
import { checkDesktopRequest } from './desktop-request';
import type { IpcMainLike } from './ipc';

/**
 * "Reveal in folder" for the viewer: the renderer names a media ref, never a path; the engine locates it by the same
 * rules as the player (inside the source's root, links included) and only that file is shown (shell.showItemInFolder).
 */
export function registerReveal(ipcMain: IpcMainLike, engine: EngineLike, showItemInFolder: (path: string) => void, isTrustedUrl: (url: string) => boolean) {
  ipcMain.handle(DESKTOP_REVEAL_CHANNEL, async (event, raw): Promise<ApiResult<string>> => {
    const checked = checkDesktopRequest('desktop.reveal', RevealArgsSchema, event, raw, isTrustedUrl);
    if (!checked.ok) return checked;
    const located = await engine.call('viewer.locate', checked.args);
    if (!located.ok) return located;
    const path = (located.value as { path: string }).path;
    showItemInFolder(path);
    return { ok: true, value: path };
  });
  return () => ipcMain.removeHandler(DESKTOP_REVEAL_CHANNEL);
}
