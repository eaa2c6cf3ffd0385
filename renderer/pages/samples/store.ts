import { create } from 'zustand';
import type { SampleDetail } from '../../../shared/api/models';
import type { SampleRow, SearchHit, SearchIndexStatus } from '../../../shared/api/viewer-models';
import { api, errorMessage } from '../../transport/transport';

export type StatusFilter = '' | 'ok' | 'missing' | 'corrupt' | 'unchecked';

export interface SampleFilters {
  subsetId: string;
  sourceId: string;
  status: StatusFilter;
  segment: '' | 'yes' | 'no';
  refContains: string;
}

/** A row of the list: a record, or a search hit with its snippet. */
export type ListRow = (SampleRow & { snippet?: undefined; marks?: undefined }) | (SearchHit & { text?: undefined });

export interface SamplesState {
  filters: SampleFilters;
  order: 'catalog' | 'shuffle';
  seed: number;
  /** The conversation search; empty: the list of records. */
  query: string;
  /** Bumped whenever the list is read again (filters, order, search, a verify): answers for an older one are dropped. */
  listKey: number;
  /** Bumped only for a new list (not a re-read of the same one): the scroller starts again at its top. */
  viewKey: number;
  total: number;
  /** Rows by position, a page at a time; only pages near the screen are kept. */
  pages: Record<number, ListRow[]>;
  loadingList: boolean;
  listError: string | null;
  selected: number | null;
  sample: SampleDetail | null;
  sampleError: string | null;
  index: SearchIndexStatus | null;
  helpOpen: boolean;
  setFilters(patch: Partial<SampleFilters>): void;
  setQuery(query: string): void;
  /** A new seeded shuffle ("r"), or back to catalog order. */
  shuffle(): void;
  catalogOrder(): void;
  ensureRange(first: number, end: number): void;
  select(position: number | null): void;
  move(delta: number): void;
  setHelp(open: boolean): void;
  reload(): void;
}

export const PAGE_ROWS = 100;
/** Pages kept around the screen: memory stays bounded however far the list is scrolled. */
const KEEP_PAGES = 12;
const inFlight = new Set<string>();
let queryTimer: ReturnType<typeof setTimeout> | null = null;
let sampleRequest = 0;
let requestedSample: string | null = null;
/** After a reload of the same list, the selected sample is fetched again (its status may have changed). */
let refreshSample = false;
let lastRange: [number, number] = [0, PAGE_ROWS];

function listArgs(s: SamplesState) {
  const f = s.filters;
  return {
    ...(f.subsetId ? { subsetId: f.subsetId } : {}),
    ...(f.sourceId ? { sourceId: f.sourceId } : {}),
    ...(f.status ? { status: f.status } : {}),
    ...(f.segment ? { hasSegment: f.segment === 'yes' } : {}),
  };
}

export function rowAt(s: Pick<SamplesState, 'pages'>, position: number): ListRow | undefined {
  return s.pages[Math.floor(position / PAGE_ROWS)]?.[position % PAGE_ROWS];
}

export const useSamplesStore = create<SamplesState>()((set, get) => {
  /**
   * A new list (filters, order or search) starts at its top; the same list read again (a job changed statuses)
   * keeps its place, its count until the new one arrives, and the selection, whose sample is fetched again.
   */
  const restart = (sameList = false) => {
    inFlight.clear();
    set((s) => ({
      listKey: s.listKey + 1,
      pages: {},
      loadingList: true,
      listError: null,
      ...(sameList ? {} : { viewKey: s.viewKey + 1, total: 0, selected: null, sample: null }),
    }));
    if (sameList) {
      refreshSample = true;
      const [first, end] = lastRange;
      get().ensureRange(first, end);
      const selected = get().selected;
      if (selected !== null) get().ensureRange(selected, selected + 1);
    } else {
      get().ensureRange(0, PAGE_ROWS);
    }
  };

  const loadSample = (row: ListRow, force = false) => {
    const key = `${row.subsetId}#${row.index}`;
    // Compared with the last one asked for, not the one shown: j then k must not let j's answer land last.
    if (!force && requestedSample === key) return;
    requestedSample = key;
    const request = ++sampleRequest;
    void api.viewer.sample({ subsetId: row.subsetId, index: row.index }).then(
      (sample) => {
        if (request === sampleRequest) set({ sample, sampleError: null });
      },
      (error: unknown) => {
        if (request === sampleRequest) set({ sample: null, sampleError: errorMessage(error) });
      },
    );
  };

  const loadPage = async (page: number) => {
    const state = get();
    const key = state.listKey;
    const id = `${key}:${page}`;
    if (inFlight.has(id) || state.pages[page]) return;
    inFlight.add(id);
    try {
      const from = page * PAGE_ROWS;
      let rows: ListRow[];
      let total: number;
      if (state.query.trim()) {
        const found = await api.search.query({ query: state.query, ...listArgs(state), from, limit: PAGE_ROWS });
        rows = found.hits;
        total = found.total;
        set({ index: { indexed: found.indexed, records: found.records, bytes: get().index?.bytes ?? 0, jobId: get().index?.jobId ?? null } });
      } else {
        const listed = await api.viewer.list({
          ...listArgs(state),
          ...(state.filters.refContains.trim() ? { refContains: state.filters.refContains.trim() } : {}),
          order: state.order,
          seed: state.seed,
          from,
          limit: PAGE_ROWS,
        });
        rows = listed.rows;
        total = listed.total;
      }
      if (get().listKey !== key) return;
      set((s) => {
        const pages: Record<number, ListRow[]> = { ...s.pages, [page]: rows };
        const kept = Object.keys(pages)
          .map(Number)
          .sort((a, b) => Math.abs(a - page) - Math.abs(b - page));
        for (const far of kept.slice(KEEP_PAGES)) delete pages[far];
        return { pages, total, loadingList: false, listError: null };
      });
      const selected = get().selected;
      if (selected !== null) {
        const row = rowAt(get(), selected);
        if (row) {
          loadSample(row, refreshSample);
          refreshSample = false;
        }
      }
    } catch (error) {
      if (get().listKey === key) set({ listError: errorMessage(error), loadingList: false });
    } finally {
      inFlight.delete(id);
    }
  };

  return {
    filters: { subsetId: '', sourceId: '', status: '', segment: '', refContains: '' },
    order: 'catalog',
    seed: 1,
    query: '',
    listKey: 0,
    viewKey: 0,
    total: 0,
    pages: {},
    loadingList: false,
    listError: null,
    selected: null,
    sample: null,
    sampleError: null,
    index: null,
    helpOpen: false,
    setFilters(patch) {
      set((s) => ({ filters: { ...s.filters, ...patch } }));
      if (queryTimer) clearTimeout(queryTimer);
      // Typing a ref waits for a pause; a select applies at once.
      queryTimer = setTimeout(restart, 'refContains' in patch ? 250 : 0);
    },
    setQuery(query) {
      set({ query });
      if (queryTimer) clearTimeout(queryTimer);
      queryTimer = setTimeout(restart, 250);
    },
    shuffle() {
      set({ order: 'shuffle', seed: Math.floor(Math.random() * 2 ** 31) });
      restart();
    },
    catalogOrder() {
      set({ order: 'catalog' });
      restart();
    },
    ensureRange(first, end) {
      lastRange = [first, end];
      for (let page = Math.floor(first / PAGE_ROWS); page * PAGE_ROWS < Math.max(end, first + 1); page++) void loadPage(page);
    },
    select(position) {
      set({ selected: position });
      if (position === null) return;
      const row = rowAt(get(), position);
      if (row) loadSample(row);
      else {
        // Its page is on the way: no other sample stays on screen (nor under the o and c keys) meanwhile.
        requestedSample = null;
        ++sampleRequest;
        set({ sample: null });
        get().ensureRange(position, position + 1);
      }
    },
    move(delta) {
      const { selected, total } = get();
      if (total === 0) return;
      const next = Math.min(total - 1, Math.max(0, (selected ?? (delta > 0 ? -1 : total)) + delta));
      get().select(next);
    },
    setHelp(open) {
      set({ helpOpen: open });
    },
    reload() {
      restart(true);
    },
  };
});

export function connectSamplesStore(): () => void {
  const offJob = api.on('job.progress', (job) => {
    if (job.kind === 'search.build') {
      set({ jobId: job.state === 'running' || job.state === 'queued' ? job.id : null, indexed: job.done, records: job.total });
      if (job.state === 'finished' && useSamplesStore.getState().query.trim()) useSamplesStore.getState().reload();
    }
    const ended = job.state === 'finished' || job.state === 'cancelled' || job.state === 'failed';
    if (ended && (job.kind === 'verify.run' || job.kind === 'annotations.import' || job.kind === 'annotations.fetch' || job.kind === 'media.import'))
      useSamplesStore.getState().reload();
  });
  const offLibrary = api.on('library.changed', () => {
    useSamplesStore.setState({ index: null });
    useSamplesStore.getState().reload();
  });
  return () => {
    offJob();
    offLibrary();
  };

  function set(patch: { jobId: number | null; indexed: number; records: number | null }) {
    const index = useSamplesStore.getState().index;
    useSamplesStore.setState({
      index: { indexed: patch.indexed, records: patch.records ?? index?.records ?? 0, bytes: index?.bytes ?? 0, jobId: patch.jobId },
    });
  }
}

/** Asks how far the search index has got (and starts its first build): the page calls it when it opens. */
export async function loadIndexStatus(): Promise<void> {
  try {
    useSamplesStore.setState({ index: await api.search.status() });
  } catch {
    // no library open: the page says so
  }
}
