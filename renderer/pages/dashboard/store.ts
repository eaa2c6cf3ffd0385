import { create } from 'zustand';
import type { JobSnapshot, VerifyLevel, VerifyReport } from '../../../shared/api/models';
import { api, errorMessage } from '../../transport/transport';
import { REPORTING_JOBS } from '../jobs/kind-labels';

export interface DashboardState {
  report: VerifyReport | null;
  error: string | null;
  busy: boolean;
  /** When the running verify was first seen and how far it was, to estimate the time left. */
  rateStart: { jobId: number; at: number; done: number } | null;
  load(): Promise<void>;
  verify(level: VerifyLevel, force: boolean): Promise<void>;
  exportTo(path: string, level: VerifyLevel): Promise<void>;
  observe(job: JobSnapshot): void;
}

export const useDashboardStore = create<DashboardState>()((set, get) => ({
  report: null,
  error: null,
  busy: false,
  rateStart: null,
  async load() {
    const started = Date.now();
    try {
      set({ report: await api.verify.report({ missing: false }), error: null });
      lastLoadMs = Date.now() - started;
    } catch (error) {
      set({ error: errorMessage(error), report: null });
    }
  },
  async verify(level, force) {
    set({ busy: true, error: null });
    try {
      await api.verify.start({ level, force });
    } catch (error) {
      set({ error: errorMessage(error) });
    } finally {
      set({ busy: false });
    }
  },
  async exportTo(path, level) {
    set({ busy: true, error: null });
    try {
      await api.export.start({ path, level });
    } catch (error) {
      set({ error: errorMessage(error) });
    } finally {
      set({ busy: false });
    }
  },
  observe(job) {
    if (job.kind !== 'verify.run') return;
    const start = get().rateStart;
    if (job.state === 'running' && start?.jobId !== job.id) set({ rateStart: { jobId: job.id, at: Date.now(), done: job.done } });
  },
}));

/** Seconds left for a running job, from its progress since it was first seen; null until there is a rate. */
export function etaSeconds(job: JobSnapshot, start: DashboardState['rateStart'], now = Date.now()): number | null {
  if (!start || start.jobId !== job.id || job.total === null) return null;
  const elapsed = (now - start.at) / 1000;
  const progressed = job.done - start.done;
  if (elapsed < 1 || progressed <= 0) return null;
  return Math.max(0, (job.total - job.done) / (progressed / elapsed));
}

let refreshTimer: ReturnType<typeof setTimeout> | null = null;
/** How long the last report took: with millions of media it takes a second of the engine's time. */
let lastLoadMs = 0;

/**
 * The bars follow a running verify: the report is re-read every two seconds, or less often when it is slow to
 * build (never more than a quarter of the engine's time, which the verify needs), and once at the end.
 */
export function connectDashboardStore(): () => void {
  const off = api.on('job.progress', (job) => {
    useDashboardStore.getState().observe(job);
    // The jobs that verify as they end (relink, clips, manifest) change the counts as a verify does.
    if (!REPORTING_JOBS.has(job.kind)) return;
    const finished = job.state !== 'running' && job.state !== 'queued';
    if (finished) {
      if (refreshTimer) clearTimeout(refreshTimer);
      refreshTimer = null;
      void useDashboardStore.getState().load();
    } else if (!refreshTimer) {
      refreshTimer = setTimeout(
        () => {
          refreshTimer = null;
          void useDashboardStore.getState().load();
        },
        Math.max(2000, 4 * lastLoadMs),
      );
    }
  });
  const offLibrary = api.on('library.changed', () => void useDashboardStore.getState().load());
  void useDashboardStore.getState().load();
  return () => {
    off();
    offLibrary();
  };
}
