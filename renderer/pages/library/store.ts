import { create } from 'zustand';
import type { LibraryInfo, LibraryUsage, RecentLibrary } from '../../../shared/api/models';
import { api, errorMessage } from '../../transport/transport';

export interface LibraryState {
  loaded: boolean;
  current: LibraryInfo | null;
  recent: RecentLibrary[];
  usage: LibraryUsage | null;
  defaultPath: string;
  busy: boolean;
  error: string | null;
  load(): Promise<void>;
  create(path: string): Promise<boolean>;
  open(path: string): Promise<boolean>;
  close(): Promise<void>;
  forget(path: string): Promise<void>;
  measure(): Promise<number | null>;
  refreshUsage(): Promise<void>;
  dismissError(): void;
}

export const useLibraryStore = create<LibraryState>()((set, get) => {
  /** Runs one user action: one at a time, errors shown on the page instead of thrown. */
  const act = async <T>(work: () => Promise<T>): Promise<T | null> => {
    set({ busy: true, error: null });
    try {
      return await work();
    } catch (error) {
      set({ error: errorMessage(error) });
      return null;
    } finally {
      set({ busy: false });
    }
  };

  return {
    loaded: false,
    current: null,
    recent: [],
    usage: null,
    defaultPath: '',
    busy: false,
    error: null,

    async load() {
      const [current, recent, settings] = await Promise.all([api.library.current(), api.library.recent(), api.settings.get()]);
      const usage = current ? await api.library.usage() : null;
      set({ loaded: true, current, recent, usage, defaultPath: settings.defaultLibraryPath });
    },
    async create(path) {
      const info = await act(() => api.library.create({ path }));
      if (info) await get().load();
      return info !== null;
    },
    async open(path) {
      const info = await act(() => api.library.open({ path }));
      if (info) await get().load();
      return info !== null;
    },
    async close() {
      await act(() => api.library.close());
      await get().load();
    },
    async forget(path) {
      const recent = await act(() => api.library.forget({ path }));
      if (recent) set({ recent });
    },
    async measure() {
      const job = await act(() => api.library.measure());
      return job?.id ?? null;
    },
    async refreshUsage() {
      if (get().current) set({ usage: await api.library.usage() });
    },
    dismissError() {
      set({ error: null });
    },
  };
});

/** Subscribes before the first snapshot, so a change between the two is never missed. */
export function connectLibraryStore(): () => void {
  const offChanged = api.on('library.changed', () => void useLibraryStore.getState().load());
  const offJobs = api.on('job.progress', (job) => {
    if (job.kind === 'library.measure' && job.state === 'finished') void useLibraryStore.getState().refreshUsage();
  });
  void useLibraryStore
    .getState()
    .load()
    .catch((error: unknown) => useLibraryStore.setState({ loaded: true, error: errorMessage(error) }));
  return () => {
    offChanged();
    offJobs();
  };
}
