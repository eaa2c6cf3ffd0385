import { useState } from 'react';
import { Alert } from '../../components/alert';
import { formatBytes, formatCount } from '../../components/format';
import { useLibraryStore } from '../library/store';
import { CompletionTable } from './components/completion-table';
import { ExportPanel } from './components/export-panel';
import { ManifestPanel } from './components/manifest-panel';
import { VerifyPanel } from './components/verify-panel';
import { useDashboardStore } from './store';

export function DashboardPage() {
  const report = useDashboardStore((s) => s.report);
  const error = useDashboardStore((s) => s.error);
  const library = useLibraryStore((s) => s.current);
  const [view, setView] = useState<'source' | 'subset'>('source');
  const totals = report?.subsets.reduce(
    (t, s) => ({ records: t.records + s.records, ok: t.ok + s.ok_records, media: t.media + s.media, present: t.present + s.present, bytes: t.bytes + s.bytes }),
    { records: 0, ok: 0, media: 0, present: 0, bytes: 0 },
  );
  return (
    <section className="page" aria-labelledby="dashboard-title">
      <header className="page__header">
        <h1 id="dashboard-title">Dashboard</h1>
        <p className="page__lede">
          What training can use today: records whose media are on disk and check out, per source and per subset. Missing or damaged files are listed on the
          Missing page.
        </p>
      </header>
      {error ? <Alert tone="error">{error}</Alert> : null}
      {!library ? <p className="muted">Open a library on the Library page first.</p> : null}
      {library && totals ? (
        <p className="summary" data-testid="dashboard-summary">
          <strong>{formatCount(totals.ok)}</strong> of {formatCount(totals.records)} records usable · {formatCount(totals.present)} of{' '}
          {formatCount(totals.media)} media present · {formatBytes(totals.bytes)}
        </p>
      ) : null}
      {library ? (
        <div className="grid-2">
          <VerifyPanel />
          <ExportPanel suggestion={`${library.path}-train`} />
          <ManifestPanel suggestion={`${library.path}-manifest.jsonl.gz`} />
        </div>
      ) : null}
      {report && report.subsets.length > 0 ? (
        <section className="card" aria-label="Completion">
          <div className="row row--between">
            <h2 className="card__title">Completion</h2>
            <fieldset className="row fieldset--plain">
              <legend className="sr-only">Group by</legend>
              <button
                type="button"
                className={view === 'source' ? 'button button--secondary' : 'button'}
                aria-pressed={view === 'source'}
                onClick={() => setView('source')}
              >
                By source
              </button>
              <button
                type="button"
                className={view === 'subset' ? 'button button--secondary' : 'button'}
                aria-pressed={view === 'subset'}
                onClick={() => setView('subset')}
              >
                By subset
              </button>
            </fieldset>
          </div>
          {view === 'source' ? (
            <CompletionTable caption="Source" rows={report.sources.map((s) => ({ ...s, label: s.id }))} />
          ) : (
            <CompletionTable caption="Subset" rows={report.subsets.map((s) => ({ ...s, label: s.id }))} />
          )}
        </section>
      ) : library ? (
        <p className="muted">No annotations yet: get them on the Library page.</p>
      ) : null}
    </section>
  );
}
