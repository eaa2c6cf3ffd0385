import type { JobSnapshot } from '../../../../shared/api/models';
import { useJobsStore } from '../store';

/** Pause, Resume and Cancel, as fit the job's state: the same buttons on the Jobs page and in the drawer. */
export function JobActions({ job }: { job: JobSnapshot }) {
  const { pause, resume, cancel } = useJobsStore.getState();
  const active = job.state === 'queued' || job.state === 'running';
  if (!active && job.state !== 'paused') return null;
  return (
    <div className="row">
      {active ? (
        <button type="button" className="button" onClick={() => void pause([job.id])}>
          Pause
        </button>
      ) : (
        <button type="button" className="button button--primary" onClick={() => void resume([job.id])}>
          Resume
        </button>
      )}
      <button type="button" className="button button--ghost" onClick={() => void cancel([job.id])}>
        Cancel
      </button>
    </div>
  );
}
