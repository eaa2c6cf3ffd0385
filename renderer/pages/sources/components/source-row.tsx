import { useEffect, useRef, useState } from 'react';
import type { SourceAcquisition } from '../../../../shared/api/models';
import { formatBytes, formatCount } from '../../../components/format';
import { ProgressBar } from '../../../components/progress-bar';
import { useSourcesStore } from '../store';
import { ImportForm } from './import-form';
import { TablesForm } from './tables-form';

const STATE_LABELS: Record<SourceAcquisition['state'], string> = {
  'not-started': 'not started',
  downloading: 'downloading',
  extracting: 'extracting',
  paused: 'paused',
  complete: 'complete',
  'needs-you': 'needs you',
};
const BADGE: Record<SourceAcquisition['state'], string> = {
  'not-started': '',
  downloading: 'badge--running',
  extracting: 'badge--running',
  paused: 'badge--queued',
  complete: 'badge--finished',
  'needs-you': 'badge--warn',
};

function Bytes({ status }: { status: SourceAcquisition }) {
  const expected = status.bytesExpected;
  if (expected === null) return <span>{status.bytesOnDisk > 0 ? `${formatBytes(status.bytesOnDisk)} of an unknown size` : 'size unknown'}</span>;
  return (
    <div className="cell-stack">
      <span>
        {formatBytes(status.bytesOnDisk)} of {status.expectedIsEstimate ? '≈ ' : ''}
        {formatBytes(expected)}
      </span>
      {status.bytesOnDisk > 0 && status.state !== 'complete' ? (
        <ProgressBar done={status.bytesOnDisk} total={expected} label={`${status.name} bytes on disk`} />
      ) : null}
    </div>
  );
}

/** One source: its route, where it stands, and the action that fits. */
export function SourceRow({ status }: { status: SourceAcquisition }) {
  const { download, pause, resume, importFrom } = useSourcesStore.getState();
  const busy = useSourcesStore((s) => s.busy === status.sourceId || s.busy === `job:${status.jobId}`);
  const [importing, setImporting] = useState(false);
  const [tables, setTables] = useState(false);
  // #/sources?source=<id> (the sample viewer's link for a missing file): that source's row, on screen and marked.
  const focused = new URLSearchParams(location.hash.split('?')[1] ?? '').get('source') === status.sourceId;
  const row = useRef<HTMLTableRowElement>(null);
  useEffect(() => {
    if (focused) row.current?.scrollIntoView?.({ block: 'center' });
  }, [focused]);
  const perClip = status.routeKind === 'per-file-http' && (status.actions.includes('download') || status.actions.includes('retry-failed'));
  return (
    <>
      <tr ref={row} data-testid={`source-${status.sourceId}`} className={focused ? 'row--focused' : undefined} aria-current={focused ? 'true' : undefined}>
        <th scope="row">
          <div className="cell-stack">
            <span>
              {status.name} <code>{status.sourceId}</code>
            </span>
            <span className="muted">{status.route}</span>
            <code className="path" title="The folder this source's refs resolve under">
              {status.root}
            </code>
            {status.mirror ? <span className="muted">mirror {status.mirror}</span> : null}
          </div>
        </th>
        <td>
          <div className="cell-stack cell-stack--start">
            <span className={`badge ${BADGE[status.state]}`}>{STATE_LABELS[status.state]}</span>
            {status.why ? <span className="muted">{status.why}</span> : null}
            {status.steps.length > 0 ? (
              <details className="steps">
                <summary>Steps</summary>
                <ol>
                  {status.steps.map((step) => (
                    <li key={step}>{step}</li>
                  ))}
                  <li>
                    Then “I have it…”: pick what you downloaded (any one part of a set takes them all); it is extracted or used in place, its folder found and
                    verified.
                  </li>
                </ol>
                {status.pick ? (
                  <p className="muted">
                    Pick: <code>{status.pick}</code>
                  </p>
                ) : null}
              </details>
            ) : null}
            {status.found ? (
              <div className="notice" data-testid={`found-${status.sourceId}`}>
                Found in your Downloads folder:{' '}
                <code>{status.found.names.length > 1 ? `${status.found.names[0]} … (${status.found.names.length} parts)` : status.found.names[0]}</code>,{' '}
                {formatBytes(status.found.bytes)}.{' '}
                <button
                  type="button"
                  className="button button--primary"
                  disabled={busy}
                  onClick={() => void importFrom(status.sourceId, status.found?.path ?? '', 'root')}
                >
                  Import it
                </button>
              </div>
            ) : null}
            {status.media ? (
              <span className="muted">
                {formatCount(status.media.present)} of {formatCount(status.media.expected)} media present at the last verify
              </span>
            ) : null}
          </div>
        </td>
        <td>
          <div className="cell-stack">
            <Bytes status={status} />
            {status.files.total > 0 ? (
              <span className="muted">
                {status.files.done} of {status.files.total} files
              </span>
            ) : null}
          </div>
        </td>
        <td>
          <div className="actions">
            {status.actions.includes('download') ? (
              <button type="button" className="button button--primary" disabled={busy} onClick={() => void download(status.sourceId)}>
                {status.files.done > 0 || status.bytesOnDisk > 0 ? 'Continue download' : 'Download'}
              </button>
            ) : null}
            {status.actions.includes('retry-failed') ? (
              <button type="button" className="button button--primary" disabled={busy} onClick={() => void download(status.sourceId, true)}>
                Retry failed
              </button>
            ) : null}
            {status.actions.includes('pause') && status.jobId !== null ? (
              <button type="button" className="button" disabled={busy} onClick={() => void pause(status.jobId as number)}>
                Pause
              </button>
            ) : null}
            {status.actions.includes('resume') && status.jobId !== null ? (
              <button type="button" className="button button--primary" disabled={busy} onClick={() => void resume(status.jobId as number)}>
                Resume
              </button>
            ) : null}
            {status.actions.includes('open-page') && status.page ? (
              <a className="button button--primary" href={status.page} target="_blank" rel="noopener noreferrer">
                Open the request page
              </a>
            ) : null}
            {perClip ? (
              <button type="button" className="button" aria-expanded={tables} onClick={() => setTables((v) => !v)}>
                Use my tables…
              </button>
            ) : null}
            {status.actions.includes('import') ? (
              <button type="button" className="button" aria-expanded={importing} onClick={() => setImporting((v) => !v)}>
                {status.routeKind === 'manual' ? 'I have it…' : 'Import…'}
              </button>
            ) : null}
          </div>
        </td>
      </tr>
      {tables ? (
        <tr className="row--detail">
          <td colSpan={4}>
            <TablesForm sourceId={status.sourceId} name={status.name} onDone={() => setTables(false)} />
          </td>
        </tr>
      ) : null}
      {importing ? (
        <tr className="row--detail">
          <td colSpan={4}>
            <ImportForm sourceId={status.sourceId} name={status.name} onDone={() => setImporting(false)} />
          </td>
        </tr>
      ) : null}
    </>
  );
}
