import { create } from 'zustand';
import type { DownloadRowInfo, JobSnapshot } from '../../../shared/api/models';
import { api, errorMessage } from '../../transport/transport';

/** Progress samples per job, a few seconds' worth: the speed and time left are measured, not claimed. */
type Samples = Array<{ at: number; done: number }>;
const WINDOW_MS = 8000;

export interface JobsState {
  byId: Record<number, JobSnapshot>;
  samples: Record<number, Samples>;
  error: string | null;
  /** The download ledger's files in transfer, and the failed ones with their reasons (while the drawer shows them). */
  transfers: DownloadRowInfo[];
  failedFiles: DownloadRowInfo[];
  drawerOpen: boolean;
  load(): Promise<void>;
  apply(job: JobSnapshot, now?: number): void;
  cancel(ids: number[]): Promise<void>;
  pause(ids: number[]): Promise<void>;
  resume(ids: number[]): Promise<void>;
  loadFiles(): Promise<void>;
  retryFailed(): Promise<void>;
  setDrawer(open: boolean): void;
}

export const useJobsStore = create<JobsState>()((set, get) => {
  const act = async (work: () => Promise<JobSnapshot[]>) => {
    try {
      for (const job of await work()) get().apply(job);
      set({ error: null });
    } catch (error) {
      set({ error: errorMessage(error) });
    }
  };
  return {
    byId: {},
    samples: {},
    error: null,
    transfers: [],
    failedFiles: [],
    drawerOpen: false,
    async load() {
      try {
        const jobs = await api.jobs.list();
        set({ byId: Object.fromEntries(jobs.map((j) => [j.id, j])), error: null });
      } catch (error) {
        set({ error: errorMessage(error) });
      }
    },
    apply(job, now = Date.now()) {
      const known = get().byId[job.id];
      // Events are whole snapshots; an older one arriving late must not undo a newer state.
      if (known && Date.parse(known.updatedAt) > Date.parse(job.updatedAt)) return;
      const kept = (get().samples[job.id] ?? []).filter((s) => now - s.at <= WINDOW_MS && s.done <= job.done);
      const samples = job.state === 'running' ? [...kept, { at: now, done: job.done }] : [];
      set((s) => ({ byId: { ...s.byId, [job.id]: job }, samples: { ...s.samples, [job.id]: samples } }));
    },
    cancel: (ids) => act(() => api.jobs.cancel({ ids })),
    pause: (ids) => act(() => api.jobs.pause({ ids })),
    resume: (ids) => act(() => api.jobs.resume({ ids })),
    async loadFiles() {
      try {
        const rows = await api.media.downloads({ failed: false });
        set({ transfers: rows.filter((r) => r.state === 'downloading' || r.state === 'verifying'), failedFiles: rows.filter((r) => r.state === 'failed') });
      } catch (error) {
        set({ error: errorMessage(error) });
      }
    },
    async retryFailed() {
      const sources = [...new Set(get().failedFiles.map((r) => r.sourceId))];
      if (sources.length === 0) return;
      try {
        get().apply(await api.media.get({ sources, retryFailed: true }));
        set({ error: null });
      } catch (error) {
        set({ error: errorMessage(error) });
      }
    },
    setDrawer(open) {
      set({ drawerOpen: open });
      if (open) void get().loadFiles();
    },
  };
});

export function sortedJobs(byId: Record<number, JobSnapshot>): JobSnapshot[] {
  return Object.values(byId).sort((a, b) => b.id - a.id);
}

/** Units a second over the last few seconds of progress, and the seconds left at that pace; null until measurable. */
export function pace(job: JobSnapshot, samples: Samples | undefined): { perSecond: number; secondsLeft: number | null } | null {
  const first = samples?.[0];
  const last = samples?.at(-1);
  if (!first || !last || last.at - first.at < 1000 || last.done <= first.done) return null;
  const perSecond = ((last.done - first.done) / (last.at - first.at)) * 1000;
  return { perSecond, secondsLeft: job.total !== null && job.total > job.done ? (job.total - job.done) / perSecond : null };
}

export function connectJobsStore(): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  // The files in transfer are re-read at most once a second, and only while the drawer shows them.
  const filesLater = () => {
    if (!useJobsStore.getState().drawerOpen) return;
    timer ??= setTimeout(() => {
      timer = null;
      void useJobsStore.getState().loadFiles();
    }, 1000);
  };
  const offProgress = api.on('job.progress', (job) => {
    useJobsStore.getState().apply(job);
    if (job.kind !== 'media.get') return;
    // A stop (paused, failed, finished) changes the lists at once; progress within a run waits for the next read.
    if (job.state !== 'running') {
      if (useJobsStore.getState().drawerOpen) void useJobsStore.getState().loadFiles();
    } else filesLater();
  });
  const offLibrary = api.on('library.changed', () => void useJobsStore.getState().load());
  void useJobsStore.getState().load();
  return () => {
    offProgress();
    offLibrary();
    if (timer) clearTimeout(timer);
  };
}
