import type { SourceAcquisition } from '../../../shared/api/models';
import { Alert } from '../../components/alert';
import { formatBytes } from '../../components/format';
import { useLibraryStore } from '../library/store';
import { ClipsPanel } from './components/clips-panel';
import { M3itPanel } from './components/m3it-panel';
import { SourceRow } from './components/source-row';
import { useSourcesStore } from './store';

function SourcesTable({ title, statuses }: { title: string; statuses: SourceAcquisition[] }) {
  if (statuses.length === 0) return null;
  return (
    <section className="card" aria-label={title}>
      <h2 className="card__title">{title}</h2>
      <table className="table table--sources" aria-label={title}>
        <colgroup>
          <col className="col--source" />
          <col className="col--state" />
          <col className="col--disk" />
          <col className="col--actions" />
        </colgroup>
        <thead>
          <tr>
            <th scope="col">Source, route and root</th>
            <th scope="col">State</th>
            <th scope="col">On disk</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {statuses.map((status) => (
            <SourceRow key={status.sourceId} status={status} />
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function SourcesPage() {
  const statuses = useSourcesStore((s) => s.statuses);
  const error = useSourcesStore((s) => s.error);
  const library = useLibraryStore((s) => s.current);
  const complete = statuses.filter((s) => s.state === 'complete').length;
  const needsYou = statuses.filter((s) => s.state === 'needs-you').length;
  const onDisk = statuses.reduce((sum, s) => sum + s.bytesOnDisk, 0);
  return (
    <section className="page" aria-labelledby="sources-title">
      <header className="page__header">
        <h1 id="sources-title">Sources</h1>
        <p className="page__lede">
          Where each source's media come from and how far they are on disk. Downloads resume after a quit or a crash; sources fetched by hand say where to go,
          and take what you downloaded with Import….
        </p>
      </header>
      {error ? <Alert tone="error">{error}</Alert> : null}
      {!library ? <p className="muted">Open a library on the Library page first.</p> : null}
      {library && statuses.length > 0 ? (
        <>
          <p className="summary" data-testid="sources-summary">
            <strong>{complete}</strong> of {statuses.length} sources complete · {needsYou} need you · {formatBytes(onDisk)} downloaded
          </p>
          <SourcesTable title="Downloaded by the app" statuses={statuses.filter((s) => s.routeKind !== 'manual')} />
          <M3itPanel />
          <ClipsPanel />
          <SourcesTable title="Fetched by hand" statuses={statuses.filter((s) => s.routeKind === 'manual')} />
        </>
      ) : null}
    </section>
  );
}
