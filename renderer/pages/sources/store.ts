import { create } from 'zustand';
import type { M3itTaskStatus } from '../../../shared/api/m3it-models';
import type { SourceAcquisition } from '../../../shared/api/models';
import { api, errorMessage } from '../../transport/transport';

export type ImportMode = 'root' | 'link' | 'copy' | 'move';

export interface SourcesState {
  statuses: SourceAcquisition[];
  /** M3IT per task: its JSONL, its decode, the check of the index rule. */
  m3it: M3itTaskStatus[];
  error: string | null;
  /** The source an action was last asked for, while its call is in flight. */
  busy: string | null;
  load(): Promise<void>;
  download(sourceId: string, retryFailed?: boolean): Promise<void>;
  /** A per-clip route with the user's metadata tables; the clips no earlier table listed are tried again. */
  downloadWithTables(sourceId: string, tables: string[]): Promise<boolean>;
  /** M3IT: fetch and decode these tasks (none: those the ingested subsets use). */
  getM3it(tasks: string[]): Promise<void>;
  pause(jobId: number): Promise<void>;
  resume(jobId: number): Promise<void>;
  importFrom(sourceId: string, path: string, mode: ImportMode): Promise<boolean>;
}

export const useSourcesStore = create<SourcesState>()((set, get) => {
  const act = async (sourceId: string, work: () => Promise<unknown>): Promise<boolean> => {
    set({ busy: sourceId, error: null });
    try {
      await work();
      await get().load();
      return true;
    } catch (error) {
      set({ error: errorMessage(error) });
      return false;
    } finally {
      set({ busy: null });
    }
  };
  return {
    statuses: [],
    m3it: [],
    error: null,
    busy: null,
    async load() {
      try {
        const [statuses, m3it] = await Promise.all([api.media.status(), api.media.m3it()]);
        set({ statuses, m3it });
      } catch (error) {
        set({ error: errorMessage(error), statuses: [], m3it: [] });
      }
    },
    async download(sourceId, retryFailed = false) {
      await act(sourceId, () => api.media.get({ sources: [sourceId], retryFailed }));
    },
    downloadWithTables(sourceId, tables) {
      return act(sourceId, () => api.media.get({ sources: [sourceId], tables, retryFailed: true }));
    },
    async getM3it(tasks) {
      await act('m3it', () => api.media.get({ sources: ['m3it'], tasks, retryFailed: true }));
    },
    async pause(jobId) {
      await act(`job:${jobId}`, () => api.jobs.pause({ ids: [jobId] }));
    },
    async resume(jobId) {
      await act(`job:${jobId}`, () => api.jobs.resume({ ids: [jobId] }));
    },
    importFrom(sourceId, path, mode) {
      return act(sourceId, () => api.media.import({ sourceId, path, mode }));
    },
  };
});

/** Keeps the page current: a download's progress changes bytes and states; reloads are at most one a second. */
export function connectSourcesStore(): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const later = () => {
    timer ??= setTimeout(() => {
      timer = null;
      void useSourcesStore.getState().load();
    }, 1000);
  };
  const offProgress = api.on('job.progress', (job) => {
    if (job.kind === 'media.get' || job.kind === 'media.import' || job.kind === 'verify.run') {
      // A state change is shown at once; progress within a state waits for the next reload.
      if (job.state !== 'running') void useSourcesStore.getState().load();
      else later();
    }
  });
  const offLibrary = api.on('library.changed', () => void useSourcesStore.getState().load());
  const offSettings = api.on('settings.changed', () => void useSourcesStore.getState().load());
  const offFound = api.on('media.found', () => void useSourcesStore.getState().load());
  void useSourcesStore.getState().load();
  return () => {
    offProgress();
    offLibrary();
    offSettings();
    offFound();
    if (timer) clearTimeout(timer);
  };
}
