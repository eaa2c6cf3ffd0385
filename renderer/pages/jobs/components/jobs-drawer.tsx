import type { JobSnapshot } from '../../../../shared/api/models';
import { formatBytes } from '../../../components/format';
import { basename } from '../../../components/path-name';
import { ProgressBar } from '../../../components/progress-bar';
import { KIND_LABELS } from '../kind-labels';
import { pace, sortedJobs, useJobsStore } from '../store';
import { JobActions } from './job-actions';

const BYTE_JOBS = new Set<JobSnapshot['kind']>(['media.get', 'annotations.fetch']);

function duration(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

function ActiveJob({ job }: { job: JobSnapshot }) {
  const samples = useJobsStore((s) => s.samples[job.id]);
  const measured = job.state === 'running' ? pace(job, samples) : null;
  const bytes = BYTE_JOBS.has(job.kind);
  return (
    <li className="drawer__job" data-testid={`drawer-job-${job.id}`}>
      <div className="row row--between">
        <strong>
          #{job.id} {KIND_LABELS[job.kind]}
        </strong>
        <span className={`badge badge--${job.state}`}>{job.state}</span>
      </div>
      {job.state !== 'paused' ? <ProgressBar done={job.done} total={job.total} label={`Job ${job.id} progress`} /> : null}
      <div className="muted">
        {bytes && job.total ? `${formatBytes(job.done)} of ${formatBytes(job.total)}` : null}
        {measured ? ` · ${bytes ? `${formatBytes(measured.perSecond)}/s` : `${Math.round(measured.perSecond)}/s`}` : null}
        {measured?.secondsLeft ? ` · ${duration(measured.secondsLeft)} left` : null}
      </div>
      {job.message ? <div className="muted">{job.message}</div> : null}
      <JobActions job={job} />
    </li>
  );
}

/** Every running, queued and paused job with its pace; files in transfer; failures with their reasons. */
export function JobsDrawer() {
  const byId = useJobsStore((s) => s.byId);
  const transfers = useJobsStore((s) => s.transfers);
  const failedFiles = useJobsStore((s) => s.failedFiles);
  const error = useJobsStore((s) => s.error);
  const { setDrawer, retryFailed, pause, resume } = useJobsStore.getState();
  const jobs = sortedJobs(byId);
  const active = jobs.filter((j) => j.state === 'running' || j.state === 'queued' || j.state === 'paused').reverse();
  const recent = jobs.filter((j) => j.state === 'finished' || j.state === 'failed' || j.state === 'cancelled').slice(0, 5);
  return (
    <aside className="drawer" aria-label="Jobs drawer">
      <header className="row row--between">
        <h2 className="card__title">Jobs</h2>
        <div className="row">
          <button
            type="button"
            className="button"
            disabled={!active.some((j) => j.state !== 'paused')}
            onClick={() => void pause(active.filter((j) => j.state !== 'paused').map((j) => j.id))}
          >
            Pause all
          </button>
          <button
            type="button"
            className="button"
            disabled={!active.some((j) => j.state === 'paused')}
            onClick={() => void resume(active.filter((j) => j.state === 'paused').map((j) => j.id))}
          >
            Resume all
          </button>
          <button type="button" className="button button--ghost" onClick={() => setDrawer(false)} aria-label="Close the jobs drawer">
            ×
          </button>
        </div>
      </header>
      {error ? <p className="field-error">{error}</p> : null}
      {active.length === 0 ? <p className="muted">Nothing running.</p> : null}
      <ul className="drawer__list">
        {active.map((job) => (
          <ActiveJob key={job.id} job={job} />
        ))}
      </ul>
      {transfers.length > 0 ? (
        <section aria-label="Files in transfer">
          <h3 className="drawer__heading">In transfer</h3>
          <ul className="drawer__list">
            {transfers.map((file) => (
              <li key={file.id} className="drawer__file">
                <span>
                  <code>{file.sourceId}</code> {basename(file.target)}
                </span>
                <ProgressBar done={file.bytes} total={file.total ?? file.expectedSize} label={`${basename(file.target)} downloaded`} />
                <span className="muted">
                  {formatBytes(file.bytes)}
                  {file.total ? ` of ${formatBytes(file.total)}` : ''}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {failedFiles.length > 0 ? (
        <section aria-label="Failed downloads">
          <div className="row row--between">
            <h3 className="drawer__heading">Failed ({failedFiles.length})</h3>
            <button type="button" className="button button--primary" onClick={() => void retryFailed()}>
              Retry failed
            </button>
          </div>
          <ul className="drawer__list">
            {failedFiles.slice(0, 50).map((file) => (
              <li key={file.id} className="drawer__file">
                <span>
                  <code>{file.sourceId}</code> {basename(file.target)} <span className="muted">after {file.attempts} attempts</span>
                </span>
                <span className="field-error">{file.error}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {recent.length > 0 ? (
        <section aria-label="Recent jobs">
          <h3 className="drawer__heading">Recent</h3>
          <ul className="drawer__list">
            {recent.map((job) => (
              <li key={job.id} className="drawer__file">
                <span>
                  #{job.id} {KIND_LABELS[job.kind]} <span className={`badge badge--${job.state}`}>{job.state}</span>
                </span>
                <span className="muted">{job.errorCode ? `${job.errorCode}: ${job.message ?? ''}` : job.message}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </aside>
  );
}
