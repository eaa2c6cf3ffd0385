import { DESKTOP_PICK_PATHS_CHANNEL } from '../../shared/api/channels';
import { PickPathsArgsSchema } from '../../shared/api/desktop';
import type { ApiResult } from '../../shared/api/errors';
import { checkDesktopRequest } from './desktop-request';
import type { IpcMainLike } from './ipc';

/** The part of Electron's dialog.showOpenDialog this uses (tests pass a stand-in: the binary is absent). */
export type ShowOpenDialog = (options: {
  title: string;
  properties: Array<'openFile' | 'openDirectory' | 'multiSelections'>;
  filters: Array<{ name: string; extensions: string[] }>;
}) => Promise<{ canceled: boolean; filePaths: string[] }>;

/** The system's file picker for the renderer: only for our own top-level page, with checked arguments. */
export function registerDesktop(ipcMain: IpcMainLike, showOpenDialog: ShowOpenDialog, isTrustedUrl: (url: string) => boolean): () => void {
  ipcMain.handle(DESKTOP_PICK_PATHS_CHANNEL, async (event, raw): Promise<ApiResult<string[] | null>> => {
    const checked = checkDesktopRequest('desktop.pickPaths', PickPathsArgsSchema, event, raw, isTrustedUrl);
    if (!checked.ok) return checked;
    const { kind, title, multiple, filters } = checked.args;
    const properties: Array<'openFile' | 'openDirectory' | 'multiSelections'> = [kind === 'file' ? 'openFile' : 'openDirectory'];
    if (multiple) properties.push('multiSelections');
    const chosen = await showOpenDialog({ title, properties, filters: kind === 'file' ? filters : [] });
    return { ok: true, value: chosen.canceled || chosen.filePaths.length === 0 ? null : chosen.filePaths };
  });
  return () => ipcMain.removeHandler(DESKTOP_PICK_PATHS_CHANNEL);
}
