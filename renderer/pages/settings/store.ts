import { create } from 'zustand';
import type { Settings, SettingsPatch } from '../../../shared/api/models';
import { api, errorMessage } from '../../transport/transport';

export interface SettingsState {
  settings: Settings | null;
  saving: boolean;
  error: string | null;
  notice: string | null;
  load(): Promise<void>;
  update(patch: SettingsPatch): Promise<boolean>;
  setToken(token: string): Promise<boolean>;
  clearToken(): Promise<void>;
  setMirror(sourceId: string, baseUrl: string | null): Promise<boolean>;
}

export const useSettingsStore = create<SettingsState>()((set) => {
  const save = async (work: () => Promise<Settings>, notice: string): Promise<boolean> => {
    set({ saving: true, error: null, notice: null });
    try {
      set({ settings: await work(), notice });
      return true;
    } catch (error) {
      set({ error: errorMessage(error) });
      return false;
    } finally {
      set({ saving: false });
    }
  };
  return {
    settings: null,
    saving: false,
    error: null,
    notice: null,
    async load() {
      try {
        set({ settings: await api.settings.get() });
      } catch (error) {
        set({ error: errorMessage(error) });
      }
    },
    update: (patch) => save(() => api.settings.update(patch), 'Settings saved.'),
    setToken: (token) => save(() => api.settings.setHfToken({ token }), 'Token saved.'),
    async clearToken() {
      await save(() => api.settings.clearHfToken(), 'Token removed.');
    },
    setMirror: (sourceId, baseUrl) =>
      save(() => api.settings.setMirror({ sourceId, baseUrl }), baseUrl ? `Mirror for ${sourceId} saved.` : `Mirror for ${sourceId} cleared.`),
  };
});

export function connectSettingsStore(): () => void {
  const off = api.on('settings.changed', (settings) => useSettingsStore.setState({ settings }));
  void useSettingsStore.getState().load();
  return off;
}
