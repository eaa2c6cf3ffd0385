import type { LibraryInfo } from '../../../../shared/api/models';
import { formatBytes, formatCount, formatDate } from '../../../components/format';
import { ProgressBar } from '../../../components/progress-bar';
import { useJobsStore } from '../../jobs/store';
import { useLibraryStore } from '../store';

export function CurrentLibrary({ info }: { info: LibraryInfo }) {
  const usage = useLibraryStore((s) => s.usage);
  const busy = useLibraryStore((s) => s.busy);
  const close = useLibraryStore((s) => s.close);
  const measure = useLibraryStore((s) => s.measure);
  const measuring = useJobsStore((s) => Object.values(s.byId).find((j) => j.kind === 'library.measure' && (j.state === 'running' || j.state === 'queued')));

  return (
    <article className="card" aria-label="Open library">
      <div className="card__header">
        <div>
          <p className="eyebrow">Open library</p>
          <h2 className="card__title">{info.name}</h2>
        </div>
        <button type="button" className="button" onClick={() => void close()} disabled={busy}>
          Close library
        </button>
      </div>
      <dl className="facts">
        <dt>Folder</dt>
        <dd>
          <code>{info.path}</code>
        </dd>
        <dt>Database</dt>
        <dd>
          <code>{info.databasePath}</code> (schema {info.schemaVersion})
        </dd>
        <dt>Media</dt>
        <dd>
          <code>{info.mediaPath}</code>
        </dd>
        <dt>Created</dt>
        <dd>{formatDate(info.createdAt)}</dd>
        <dt>On disk</dt>
        <dd>
          {usage?.measuredAt
            ? `${formatBytes(usage.bytes)} in ${formatCount(usage.files)} files (measured ${formatDate(usage.measuredAt)})`
            : 'not measured yet'}
        </dd>
      </dl>
      {measuring ? (
        <div className="job-inline">
          <ProgressBar done={measuring.done} total={measuring.total} label="Measuring disk usage" />
          <span className="muted">{measuring.message ?? 'waiting to start'}</span>
        </div>
      ) : (
        <button type="button" className="button button--secondary" onClick={() => void measure()} disabled={busy}>
          Measure disk usage
        </button>
      )}
    </article>
  );
}
