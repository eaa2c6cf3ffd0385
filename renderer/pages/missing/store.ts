import { create } from 'zustand';
import type { MissingMedia } from '../../../shared/api/models';
import { csvLine, MISSING_CSV_HEADER, missingCsvCells } from '../../../shared/api/report-csv';
import { api, errorMessage } from '../../transport/transport';

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
  loading: boolean;
  error: string | null;
  setFilters(patch: Partial<MissingFilters>): void;
  load(page?: number): Promise<void>;
  /** Every row matching the filters, fetched page by page (for CSV/JSON export and copying paths). */
  all(): Promise<MissingMedia[]>;
}

export const PAGE_SIZE = 100;
let searchTimer: ReturnType<typeof setTimeout> | null = null;

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
  loading: false,
  error: null,
  setFilters(patch) {
    set((s) => ({ filters: { ...s.filters, ...patch } }));
    // Typing in the search box asks once it pauses, not on every key.
    if (searchTimer) clearTimeout(searchTimer);
    searchTimer = setTimeout(() => void get().load(0), 'search' in patch ? 250 : 0);
  },
  async load(page = get().page) {
    set({ loading: true });
    try {
      const result = await api.verify.missing({ ...query(get().filters), offset: page * PAGE_SIZE, limit: PAGE_SIZE });
      set({ rows: result.rows, total: result.total, page, error: null });
    } catch (error) {
      set({ error: errorMessage(error), rows: [], total: 0 });
    } finally {
      set({ loading: false });
    }
  },
  async all() {
    const rows: MissingMedia[] = [];
    for (let offset = 0; ; offset += 10_000) {
      const result = await api.verify.missing({ ...query(get().filters), offset, limit: 10_000 });
      rows.push(...result.rows);
      if (rows.length >= result.total || result.rows.length === 0) return rows;
    }
  },
}));

export function connectMissingStore(): () => void {
  const off = api.on('job.progress', (job) => {
    if (job.kind === 'verify.run' && (job.state === 'finished' || job.state === 'cancelled')) void useMissingStore.getState().load();
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
