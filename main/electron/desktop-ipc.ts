import { DESKTOP_PICK_PATHS_CHANNEL } from '../../shared/api/channels';
import { PickPathsArgsSchema } from '../../shared/api/desktop';
import type { ApiResult } from '../../shared/api/errors';
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
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null || !isTrustedUrl(frame.url)) {
      return { ok: false, error: { code: 'FORBIDDEN_SENDER', message: 'desktop.pickPaths: request from an untrusted frame was refused' } };
    }
    const parsed = PickPathsArgsSchema.safeParse(raw);
    if (!parsed.success) {
      return {
        ok: false,
        error: {
          code: 'VALIDATION_ERROR',
          message: `desktop.pickPaths: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'args'}: ${i.message}`).join('; ')}`,
        },
      };
    }
    const { kind, title, multiple, filters } = parsed.data;
    const properties: Array<'openFile' | 'openDirectory' | 'multiSelections'> = [kind === 'file' ? 'openFile' : 'openDirectory'];
    if (multiple) properties.push('multiSelections');
    const chosen = await showOpenDialog({ title, properties, filters: kind === 'file' ? filters : [] });
    return { ok: true, value: chosen.canceled || chosen.filePaths.length === 0 ? null : chosen.filePaths };
  });
  return () => ipcMain.removeHandler(DESKTOP_PICK_PATHS_CHANNEL);
}
