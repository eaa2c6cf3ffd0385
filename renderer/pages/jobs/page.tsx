import { Alert } from '../../components/alert';
import { formatDate } from '../../components/format';
import { ProgressBar } from '../../components/progress-bar';
import { JobActions } from './components/job-actions';
import { KIND_LABELS } from './kind-labels';
import { sortedJobs, useJobsStore } from './store';

export function JobsPage() {
  const byId = useJobsStore((s) => s.byId);
  const error = useJobsStore((s) => s.error);
  const cancel = useJobsStore((s) => s.cancel);
  const jobs = sortedJobs(byId);
  const active = jobs.filter((j) => j.state === 'queued' || j.state === 'running' || j.state === 'paused');
  return (
    <section className="page" aria-labelledby="jobs-title">
      <header className="page__header page__header--row">
        <div>
          <h1 id="jobs-title">Jobs</h1>
          <p className="page__lede">Long work runs in the background and survives a restart: unfinished jobs resume when the library is opened again.</p>
        </div>
        <button type="button" className="button" disabled={active.length === 0} onClick={() => void cancel(active.map((j) => j.id))}>
          Cancel all
        </button>
      </header>
      {error ? <Alert tone="error">{error}</Alert> : null}
      {jobs.length === 0 ? (
        <p className="muted">No jobs in this library yet.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col">State</th>
              <th scope="col">Progress</th>
              <th scope="col">Updated</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {jobs.map((job) => (
              <tr key={job.id}>
                <td>
                  #{job.id} {KIND_LABELS[job.kind]}
                </td>
                <td>
                  <span className={`badge badge--${job.state}`}>{job.state}</span>
                </td>
                <td className="table__progress">
                  <div className="cell-stack">
                    {job.state === 'running' ? <ProgressBar done={job.done} total={job.total} label={`Job ${job.id} progress`} /> : null}
                    <span className="muted">{job.errorCode ? `${job.errorCode}: ${job.message ?? ''}` : job.message}</span>
                  </div>
                </td>
                <td>{formatDate(job.updatedAt)}</td>
                <td>
                  <JobActions job={job} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
