import { useCallback, useEffect, useId, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { catalog } from '../../../shared/catalog/index';
import { Alert } from '../../components/alert';
import { formatCount } from '../../components/format';
import { ScaledList } from '../../components/scaled-list';
import { SelectField } from '../../components/select-field';
import { revealMedia } from '../../transport/transport';
import { HelpOverlay } from './components/help-overlay';
import { pathOf, SamplePane } from './components/sample-pane';
import { SampleRowView } from './components/sample-row';
import { activePlayer } from './components/video-player';
import { loadIndexStatus, rowAt, type StatusFilter, useSamplesStore } from './store';

const ROW_HEIGHT = 56;
const STATUSES: Array<{ value: StatusFilter; label: string }> = [
  { value: '', label: 'Any status' },
  { value: 'ok', label: 'ok' },
  { value: 'missing', label: 'missing' },
  { value: 'corrupt', label: 'corrupt' },
  { value: 'unchecked', label: 'unchecked' },
];

const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || target.isContentEditable);

type Store = ReturnType<typeof useSamplesStore.getState>;

/** What a key does on the viewer; null for keys it leaves alone. */
function keyAction(key: string, store: Store, page: number, searchBox: React.RefObject<HTMLInputElement | null>): (() => void) | null {
  const sample = store.sample;
  switch (key) {
    case 'j':
    case 'ArrowDown':
      return () => store.move(1);
    case 'k':
    case 'ArrowUp':
      return () => store.move(-1);
    case 'PageDown':
      return () => store.move(page);
    case 'PageUp':
      return () => store.move(-page);
    case 'Home':
      return () => store.total > 0 && store.select(0);
    case 'End':
      return () => store.total > 0 && store.select(store.total - 1);
    case ' ':
      return () => activePlayer.current?.playPause();
    case '[':
      return () => activePlayer.current?.toStart();
    case ']':
      return () => activePlayer.current?.toEnd();
    case ',':
      return () => activePlayer.current?.step(-1);
    case '.':
      return () => activePlayer.current?.step(1);
    case '/':
      return () => searchBox.current?.focus();
    case 'r':
      return () => store.shuffle();
    case 'o':
      return () => {
        if (sample?.sourceId && sample.ref) void revealMedia(sample.sourceId, sample.ref, sample.subdir).catch(() => undefined);
      };
    case 'c':
      return () => {
        const path = sample ? pathOf(sample) : null;
        if (path) void navigator.clipboard?.writeText(path).catch(() => undefined);
      };
    case '?':
      return () => store.setHelp(!store.helpOpen);
    default:
      return null;
  }
}

/** The keys of the viewer (shown by "?"), on the page as a whole so they work wherever the focus is but a field. */
function useViewerKeys(searchBox: React.RefObject<HTMLInputElement | null>) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const store = useSamplesStore.getState();
      if (e.key === 'Escape') {
        if (store.helpOpen) store.setHelp(false);
        else if (isTyping(e.target)) (e.target as HTMLElement).blur();
        return;
      }
      if (isTyping(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      const page = Math.max(1, Math.floor((document.querySelector('.scaled-list')?.clientHeight ?? 560) / ROW_HEIGHT) - 1);
      const action = keyAction(e.key, store, page, searchBox);
      if (!action) return;
      e.preventDefault();
      action();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [searchBox]);
}

export function SamplesPage() {
  const s = useSamplesStore(
    useShallow((st) => ({
      filters: st.filters,
      order: st.order,
      seed: st.seed,
      query: st.query,
      total: st.total,
      pages: st.pages,
      loading: st.loadingList,
      listError: st.listError,
      selected: st.selected,
      sample: st.sample,
      sampleError: st.sampleError,
      index: st.index,
      helpOpen: st.helpOpen,
      listKey: st.listKey,
      viewKey: st.viewKey,
    })),
  );
  const { setFilters, setQuery, shuffle, catalogOrder, ensureRange, select, reload, setHelp } = useSamplesStore.getState();
  const searchBox = useRef<HTMLInputElement>(null);
  const searchId = useId();
  const refId = useId();
  useViewerKeys(searchBox);
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, when the page opens
  useEffect(() => {
    void loadIndexStatus();
    if (useSamplesStore.getState().listKey === 0) reload();
  }, []);
  const onRange = useCallback((first: number, end: number) => ensureRange(first, end), [ensureRange]);
  const subsets = catalog.subsets.filter((x) => !s.filters.sourceId || x.source === s.filters.sourceId);
  const searching = s.query.trim() !== '';
  const building = s.index && s.index.indexed < s.index.records;
  return (
    <section className="page page--wide samples" aria-labelledby="samples-title">
      <header className="page__header page__header--row">
        <div>
          <h1 id="samples-title">Samples</h1>
          <p className="page__lede">Every record of the library with its media and conversation, offline. Press ? for the keys.</p>
        </div>
        <button type="button" className="button button--ghost" onClick={() => setHelp(true)}>
          Keys (?)
        </button>
      </header>
      <form className="filters samples__filters" aria-label="Filter samples" onSubmit={(e) => e.preventDefault()}>
        <div className="samples__search">
          <label htmlFor={searchId}>Search conversations</label>
          <input
            id={searchId}
            ref={searchBox}
            type="search"
            className="input"
            value={s.query}
            placeholder='words, "a phrase", prefix*'
            onChange={(e) => setQuery(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor={refId}>Ref contains</label>
          <input
            id={refId}
            className="input"
            value={s.filters.refContains}
            placeholder="path part or YouTube id"
            disabled={searching}
            onChange={(e) => setFilters({ refContains: e.target.value })}
          />
        </div>
        <SelectField
          label="Source"
          value={s.filters.sourceId}
          options={[{ value: '', label: 'All sources' }, ...catalog.sources.map((x) => ({ value: x.id, label: x.id }))]}
          onChange={(sourceId) => setFilters({ sourceId, subsetId: '' })}
        />
        <SelectField
          label="Subset"
          value={s.filters.subsetId}
          options={[{ value: '', label: 'All subsets' }, ...subsets.map((x) => ({ value: x.id, label: x.id }))]}
          onChange={(subsetId) => setFilters({ subsetId })}
        />
        <SelectField<StatusFilter> label="Media" value={s.filters.status} options={STATUSES} onChange={(status) => setFilters({ status })} />
        <SelectField<'' | 'yes' | 'no'>
          label="Segment"
          value={s.filters.segment}
          options={[
            { value: '', label: 'With or without' },
            { value: 'yes', label: 'has start/end' },
            { value: 'no', label: 'no start/end' },
          ]}
          onChange={(segment) => setFilters({ segment })}
        />
      </form>
      <div className="row row--between">
        <span className="muted" data-testid="samples-total" aria-live="polite">
          {`${formatCount(s.total)}${searching ? ' matching' : ''} ${s.total === 1 ? 'record' : 'records'}`}
          {s.order === 'shuffle' && !searching ? ` · shuffled (seed ${s.seed})` : ''}
          {s.loading ? ' · loading…' : ''}
        </span>
        <fieldset className="row fieldset--plain" aria-label="Order">
          <button type="button" className="button" aria-pressed={s.order === 'catalog'} onClick={catalogOrder} disabled={searching}>
            Catalog order
          </button>
          <button type="button" className="button" aria-pressed={s.order === 'shuffle'} onClick={shuffle} disabled={searching} title="r">
            Shuffle
          </button>
        </fieldset>
        {building ? (
          <span className="muted" data-testid="search-index-progress">
            building the search index: {formatCount(s.index?.indexed ?? 0)} of {formatCount(s.index?.records ?? 0)} records so far
          </span>
        ) : null}
      </div>
      {s.listError ? <Alert tone="error">{s.listError}</Alert> : null}
      <div className="samples__body">
        <div className="samples__list">
          {s.total === 0 && !s.loading ? (
            <p className="muted">
              {searching ? 'No conversation matches.' : 'No records match. Import the annotations on the Library page, or change the filters.'}
            </p>
          ) : (
            <ScaledList
              key={s.viewKey}
              total={s.total}
              rowHeight={ROW_HEIGHT}
              label={searching ? 'Search results' : 'Samples'}
              selected={s.selected}
              onSelect={select}
              onRange={onRange}
              renderRow={(i) => <SampleRowView row={rowAt(s, i)} position={i} />}
            />
          )}
        </div>
        <div className="samples__pane">
          <SamplePane sample={s.selected === null ? null : s.sample} error={s.sampleError} />
        </div>
      </div>
      {s.helpOpen ? <HelpOverlay onClose={() => setHelp(false)} /> : null}
    </section>
  );
}
