import { create } from 'zustand';
import type { JobSnapshot } from '../../../shared/api/models';
import type { RelinkCounts, RelinkProposal } from '../../../shared/api/relink-models';
import { TERMINAL_STATES, waitForJob } from '../../components/wait-for-job';
import { api, errorMessage } from '../../transport/transport';
import { useMissingStore } from './store';

const PAGE = 100;

/**
 * Waits for a job to end, then reloads the proposals (and, after an apply, the missing list). The job's events
 * show its progress meanwhile; this makes the end certain even when the job ended before its start's reply.
 */
async function untilDone(job: JobSnapshot): Promise<void> {
  await waitForJob(job, (current) => useRelinkStore.setState((s) => ({ job: later(s.job, current) })));
  await useRelinkStore.getState().load();
  await useMissingStore.getState().load(0, true);
}

export type RelinkMode = 'link' | 'copy' | 'move';

export interface RelinkState {
  counts: RelinkCounts | null;
  /** Proposals loaded so far, by position in the list (the list loads the pages on screen). */
  rows: Map<number, RelinkProposal>;
  job: JobSnapshot | null;
  error: string | null;
  selected: number | null;
  load(): Promise<void>;
  loadRange(first: number, end: number): Promise<void>;
  scan(folders: string[], sourceId: string | null): Promise<void>;
  select(index: number): void;
  decide(id: number, accept: boolean, chosen?: string | null): Promise<void>;
  decideAll(accept: boolean): Promise<void>;
  apply(mode: RelinkMode): Promise<void>;
}

/** The later of two snapshots of a job: a start's reply can arrive after the job's last event (a fast job). */
function later(prev: JobSnapshot | null, next: JobSnapshot): JobSnapshot {
  if (prev && prev.id === next.id && (TERMINAL_STATES.has(prev.state) || prev.updatedAt > next.updatedAt)) return prev;
  return next;
}

export const useRelinkStore = create<RelinkState>()((set, get) => {
  const act = async (work: () => Promise<unknown>) => {
    set({ error: null });
    try {
      await work();
    } catch (error) {
      set({ error: errorMessage(error) });
    }
  };
  // Each reload starts a new list: a page still loading from the previous one is dropped, never mixed in.
  let generation = 0;
  const reload = async () => {
    const mine = ++generation;
    const first = await api.relink.proposals({ from: 0, limit: PAGE, only: 'all' });
    if (mine === generation) set({ counts: first.counts, rows: new Map(first.rows.map((r, i) => [i, r])) });
  };
  return {
    counts: null,
    rows: new Map(),
    job: null,
    error: null,
    selected: null,
    load: () => act(reload),
    async loadRange(first, end) {
      const rows = get().rows;
      const mine = generation;
      for (let from = Math.floor(first / PAGE) * PAGE; from < end; from += PAGE) {
        if (rows.has(from)) continue;
        const page = await api.relink.proposals({ from, limit: PAGE, only: 'all' });
        if (mine !== generation) return;
        set((s) => {
          const next = new Map(s.rows);
          page.rows.forEach((r, i) => {
            next.set(from + i, r);
          });
          return { rows: next, counts: page.counts };
        });
      }
    },
    scan: (folders, sourceId) =>
      act(async () => {
        const job = await api.relink.scan({ folders, sourceId });
        set((s) => ({ job: later(s.job, job), selected: null }));
        await untilDone(job);
      }),
    select: (index) => set({ selected: index }),
    decide: (id, accept, chosen = null) =>
      act(async () => {
        const counts = await api.relink.decide({ ids: [id], accept, chosen });
        const index = [...get().rows].find(([, r]) => r.id === id)?.[0];
        if (index === undefined) return set({ counts });
        const [row] = (await api.relink.proposals({ from: index, limit: 1, only: 'all' })).rows;
        set((s) => ({ counts, rows: row ? new Map(s.rows).set(index, row) : s.rows }));
      }),
    decideAll: (accept) =>
      act(async () => {
        await api.relink.decide({ ids: 'all', accept, chosen: null });
        await reload();
      }),
    apply: (mode) =>
      act(async () => {
        const job = await api.relink.apply({ mode });
        set((s) => ({ job: later(s.job, job) }));
        await untilDone(job);
      }),
  };
});

/** Follows the scan and apply jobs: their progress, and the proposals (and the missing list) once they end. */
export function connectRelinkStore(): () => void {
  const off = api.on('job.progress', (job) => {
    if (job.kind !== 'relink.scan' && job.kind !== 'relink.apply') return;
    useRelinkStore.setState((s) => ({ job: later(s.job, job) }));
    if (job.state === 'finished' || job.state === 'failed' || job.state === 'cancelled') {
      void useRelinkStore.getState().load();
      if (job.kind === 'relink.apply') void useMissingStore.getState().load(0, true);
    }
  });
  const offLibrary = api.on('library.changed', () => void useRelinkStore.getState().load());
  void useRelinkStore.getState().load();
  return () => {
    off();
    offLibrary();
  };
}
