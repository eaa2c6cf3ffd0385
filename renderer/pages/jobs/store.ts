import { create } from 'zustand';
import type { JobSnapshot } from '../../../shared/api/models';
import { api, errorMessage } from '../../transport/transport';

export interface JobsState {
  byId: Record<number, JobSnapshot>;
  error: string | null;
  load(): Promise<void>;
  apply(job: JobSnapshot): void;
  cancel(ids: number[]): Promise<void>;
}

export const useJobsStore = create<JobsState>()((set, get) => ({
  byId: {},
  error: null,
  async load() {
    try {
      const jobs = await api.jobs.list();
      set({ byId: Object.fromEntries(jobs.map((j) => [j.id, j])), error: null });
    } catch (error) {
      set({ error: errorMessage(error) });
    }
  },
  apply(job) {
    const known = get().byId[job.id];
    // Events are whole snapshots; an older one arriving late must not undo a newer state.
    if (known && Date.parse(known.updatedAt) > Date.parse(job.updatedAt)) return;
    set((s) => ({ byId: { ...s.byId, [job.id]: job } }));
  },
  async cancel(ids) {
    try {
      for (const job of await api.jobs.cancel({ ids })) get().apply(job);
    } catch (error) {
      set({ error: errorMessage(error) });
    }
  },
}));

export function sortedJobs(byId: Record<number, JobSnapshot>): JobSnapshot[] {
  return Object.values(byId).sort((a, b) => b.id - a.id);
}

export function connectJobsStore(): () => void {
  const offProgress = api.on('job.progress', (job) => useJobsStore.getState().apply(job));
  const offLibrary = api.on('library.changed', () => void useJobsStore.getState().load());
  void useJobsStore.getState().load();
  return () => {
    offProgress();
    offLibrary();
  };
}
