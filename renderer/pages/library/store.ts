import { create } from 'zustand';
import type { AnnotationsStatus, ImportCandidate, LibraryInfo, LibraryUsage, RecentLibrary } from '../../../shared/api/models';
import { api, errorMessage } from '../../transport/transport';

export interface LibraryState {
  loaded: boolean;
  current: LibraryInfo | null;
  recent: RecentLibrary[];
  usage: LibraryUsage | null;
  defaultPath: string;
  annotations: AnnotationsStatus | null;
  candidates: ImportCandidate[];
  hfTokenSet: boolean;
  busy: boolean;
  error: string | null;
  load(): Promise<void>;
  create(path: string): Promise<boolean>;
  open(path: string): Promise<boolean>;
  close(): Promise<void>;
  forget(path: string): Promise<void>;
  measure(): Promise<number | null>;
  refreshUsage(): Promise<void>;
  refreshAnnotations(): Promise<void>;
  fetchAnnotations(revision: string): Promise<void>;
  importAnnotations(path: string): Promise<void>;
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
    annotations: null,
    candidates: [],
    hfTokenSet: false,
    busy: false,
    error: null,

    async load() {
      const [current, recent, settings] = await Promise.all([api.library.current(), api.library.recent(), api.settings.get()]);
      const [usage, annotations, candidates] = current
        ? await Promise.all([api.library.usage(), api.annotations.status(), api.annotations.detect()])
        : [null, null, []];
      set({ loaded: true, current, recent, usage, annotations, candidates, defaultPath: settings.defaultLibraryPath, hfTokenSet: settings.hfTokenSet });
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
    async refreshAnnotations() {
      if (get().current) set({ annotations: await api.annotations.status() });
    },
    async fetchAnnotations(revision) {
      await act(() => api.annotations.fetch({ revision }));
    },
    async importAnnotations(path) {
      await act(() => api.annotations.import({ path }));
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
    // Each ingested file changes the counts, and a failed one leaves its error to show: refresh on any end.
    if (job.kind.startsWith('annotations.') && job.state !== 'running' && job.state !== 'queued') void useLibraryStore.getState().refreshAnnotations();
  });
  void useLibraryStore
    .getState()
    .load()
    .catch((error: unknown) => useLibraryStore.setState({ loaded: true, error: errorMessage(error) }));
  const offSettings = api.on('settings.changed', (settings) => useLibraryStore.setState({ hfTokenSet: settings.hfTokenSet }));
  return () => {
    offChanged();
    offJobs();
    offSettings();
  };
}
