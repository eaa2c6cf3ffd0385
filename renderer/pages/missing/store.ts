import { create } from 'zustand';
import type { MissingCursor, MissingMedia } from '../../../shared/api/models';
import { csvLine, MISSING_CSV_HEADER, missingCsvCells } from '../../../shared/api/report-csv';
import { api, errorMessage } from '../../transport/transport';
import { REPORTING_JOBS } from '../jobs/kind-labels';

export type Reason = 'not-found' | 'internal-storage-ref' | 'unsafe-ref' | 'corrupt';

export interface MissingFilters {
  sourceId: string;
  subsetId: string;
  reason: Reason | '';
  search: string;
}

export interface MissingState {
  filters: MissingFilters;
  rows: MissingMedia[];
  total: number;
  page: number;
  /** Where each page starts (page 0 at the top): pages are fetched by key, never by a deep offset. */
  starts: Array<MissingCursor | null>;
  /** Whether there is a page after this one. */
  more: boolean;
  loading: boolean;
  error: string | null;
  setFilters(patch: Partial<MissingFilters>): void;
  /** Loads a page; the total is counted again for the first page, or when `recount` (the list changed). */
  load(page?: number, recount?: boolean): Promise<void>;
  /** Every row matching the filters, fetched page by page (for CSV/JSON export and copying paths). */
  all(): Promise<MissingMedia[]>;
}

export const PAGE_SIZE = 100;
let searchTimer: ReturnType<typeof setTimeout> | null = null;
let latestRequest = 0;

function query(filters: MissingFilters) {
  return {
    ...(filters.sourceId ? { sourceId: filters.sourceId } : {}),
    ...(filters.subsetId ? { subsetId: filters.subsetId } : {}),
    ...(filters.reason ? { reason: filters.reason } : {}),
    ...(filters.search.trim() ? { search: filters.search.trim() } : {}),
  };
}

export const useMissingStore = create<MissingState>()((set, get) => ({
  filters: { sourceId: '', subsetId: '', reason: '', search: '' },
  rows: [],
  total: 0,
  page: 0,
  starts: [null],
  more: false,
  loading: false,
  error: null,
  setFilters(patch) {
    // Other filters, another list: page starts of the old one mean nothing in it.
    set((s) => ({ filters: { ...s.filters, ...patch }, page: 0, starts: [null], more: false }));
    // Typing in the search box asks once it pauses, not on every key.
    if (searchTimer) clearTimeout(searchTimer);
    searchTimer = setTimeout(() => void get().load(0), 'search' in patch ? 250 : 0);
  },
  async load(page = get().page, recount = false) {
    const request = ++latestRequest;
    set({ loading: true });
    // A page we have no start for (the list changed under a later page) falls back to the first.
    const known = page === 0 || get().starts[page] !== undefined;
    const at = known ? page : 0;
    const after = get().starts[at] ?? undefined;
    try {
      // Counting the whole list is a full pass: done for the first page of a filter, not for every page.
      const result = await api.verify.missing({ ...query(get().filters), ...(after ? { after } : {}), limit: PAGE_SIZE, count: at === 0 || recount });
      // An answer to an older request (other filters, another page) arriving late is dropped.
      if (request !== latestRequest) return;
      const starts = [...get().starts.slice(0, at + 1)];
      starts[at] = after ?? null;
      if (result.next) starts[at + 1] = result.next;
      set({ rows: result.rows, total: result.total ?? get().total, page: at, starts, more: result.next !== null, error: null });
    } catch (error) {
      if (request === latestRequest) set({ error: errorMessage(error), rows: [], total: 0, starts: [null], more: false });
    } finally {
      if (request === latestRequest) set({ loading: false });
    }
  },
  async all() {
    const rows: MissingMedia[] = [];
    for (let after: MissingCursor | null = null; ; ) {
      const result = await api.verify.missing({ ...query(get().filters), ...(after ? { after } : {}), limit: 10_000, count: false });
      rows.push(...result.rows);
      if (!result.next) return rows;
      after = result.next;
    }
  },
}));

export function connectMissingStore(): () => void {
  const off = api.on('job.progress', (job) => {
    // The jobs that verify as they end change the list as a verify does.
    if (REPORTING_JOBS.has(job.kind) && (job.state === 'finished' || job.state === 'cancelled')) void useMissingStore.getState().load(undefined, true);
  });
  const offLibrary = api.on('library.changed', () => void useMissingStore.getState().load(0));
  void useMissingStore.getState().load(0);
  return () => {
    off();
    offLibrary();
  };
}

export function toCsv(rows: MissingMedia[]): string {
  return [csvLine(MISSING_CSV_HEADER), ...rows.map((r) => csvLine(missingCsvCells(r)))].join('\n');
}
