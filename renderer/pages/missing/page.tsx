import { useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { catalog } from '../../../shared/catalog/index';
import { Alert } from '../../components/alert';
import { formatCount } from '../../components/format';
import { SelectField } from '../../components/select-field';
import { auditFiles } from './audit-export';
import { RelinkPanel } from './components/relink-panel';
import { PAGE_SIZE, type Reason, toCsv, useMissingStore } from './store';

const REASONS: Array<{ id: Reason; label: string }> = [
  { id: 'not-found', label: 'not found' },
  { id: 'internal-storage-ref', label: 'internal storage ref' },
  { id: 'unsafe-ref', label: 'unsafe ref' },
  { id: 'corrupt', label: 'corrupt' },
];

function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

export function MissingPage() {
  const { filters, rows, total, page, more, error, setFilters, load, all } = useMissingStore(
    useShallow((s) => ({
      filters: s.filters,
      rows: s.rows,
      total: s.total,
      page: s.page,
      more: s.more,
      error: s.error,
      setFilters: s.setFilters,
      load: s.load,
      all: s.all,
    })),
  );
  const searchId = useId();
  const [locating, setLocating] = useState(false);
  const subsets = catalog.subsets.filter((s) => s.source && (!filters.sourceId || s.source === filters.sourceId));
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  return (
    <section className="page" aria-labelledby="missing-title">
      <header className="page__header">
        <h1 id="missing-title">Missing media</h1>
        <p className="page__lede">
          Every media file the annotations need that is not there or does not check out, and why. Run Verify on the Dashboard to refresh it.
        </p>
      </header>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <form className="filters" aria-label="Filter missing media" onSubmit={(e) => e.preventDefault()}>
        <SelectField
          label="Source"
          value={filters.sourceId}
          options={[{ value: '', label: 'All sources' }, ...catalog.sources.map((s) => ({ value: s.id, label: s.id }))]}
          onChange={(sourceId) => setFilters({ sourceId, subsetId: '' })}
        />
        <SelectField
          label="Subset"
          value={filters.subsetId}
          options={[{ value: '', label: 'All subsets' }, ...subsets.map((s) => ({ value: s.id, label: s.id }))]}
          onChange={(subsetId) => setFilters({ subsetId })}
        />
        <SelectField<Reason | ''>
          label="Reason"
          value={filters.reason}
          options={[{ value: '', label: 'Any reason' }, ...REASONS.map((r) => ({ value: r.id, label: r.label }))]}
          onChange={(reason) => setFilters({ reason })}
        />
        <div>
          <label htmlFor={searchId}>Search refs</label>
          <input id={searchId} className="input" value={filters.search} onChange={(e) => setFilters({ search: e.target.value })} placeholder="e.g. k400/" />
        </div>
      </form>
      <div className="row row--between">
        <span className="muted" data-testid="missing-total">
          {formatCount(total)} missing or damaged
        </span>
        <div className="row">
          <button type="button" className="button button--primary" aria-expanded={locating} onClick={() => setLocating((v) => !v)}>
            Locate files…
          </button>
          <button
            type="button"
            className="button"
            disabled={total === 0}
            title="audit.md (a summary to paste into an upstream issue) and audit.csv (every problem), over the whole library"
            onClick={() =>
              void auditFiles().then(({ markdown, csv }) => {
                download('audit.md', 'text/markdown', markdown);
                download('audit.csv', 'text/csv', csv);
              })
            }
          >
            Export for an issue
          </button>
          <button
            type="button"
            className="button"
            disabled={total === 0}
            onClick={() => void all().then((r) => download('missing.csv', 'text/csv', `${toCsv(r)}\n`))}
          >
            Export CSV
          </button>
          <button
            type="button"
            className="button"
            disabled={total === 0}
            onClick={() => void all().then((r) => download('missing.json', 'application/json', JSON.stringify(r, null, 2)))}
          >
            Export JSON
          </button>
          <button
            type="button"
            className="button"
            disabled={total === 0}
            onClick={() => void all().then((r) => navigator.clipboard.writeText(r.map((m) => m.expected ?? m.ref).join('\n')))}
          >
            Copy paths
          </button>
        </div>
      </div>
      {locating ? <RelinkPanel sourceId={filters.sourceId} onClose={() => setLocating(false)} /> : null}
      <table className="table table--compact">
        <thead>
          <tr>
            <th scope="col">Subset</th>
            <th scope="col">Ref</th>
            <th scope="col">Reason</th>
            <th scope="col">Looked for</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((m) => (
            <tr key={`${m.subset} ${m.ref}`}>
              <td>{m.subset}</td>
              <td>
                <code>{m.ref}</code>
              </td>
              <td>{m.reason}</td>
              <td className="muted">{m.expected ? <code>{m.expected}</code> : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {pages > 1 ? (
        <div className="row">
          <button type="button" className="button" disabled={page === 0} onClick={() => void load(page - 1)}>
            Previous
          </button>
          <span className="muted">
            page {page + 1} of {pages}
          </span>
          <button type="button" className="button" disabled={!more} onClick={() => void load(page + 1)}>
            Next
          </button>
        </div>
      ) : null}
    </section>
  );
}
