import type { JobSnapshot } from '../../shared/api/models';
import { ProgressBar } from './progress-bar';

export interface RunningJobCardProps {
  /** The card's accessible name and heading. */
  label: string;
  title: string;
  job: JobSnapshot;
  /** Appended to the job's message, e.g. the time left. */
  suffix?: string;
  onCancel: () => void;
}

/** A running job in place of the form that started it: progress, its latest message, and Cancel. */
export function RunningJobCard({ label, title, job, suffix, onCancel }: RunningJobCardProps) {
  return (
    <section className="card" aria-label={label}>
      <h2 className="card__title">{title}</h2>
      <ProgressBar done={job.done} total={job.total} label={`${title} progress`} />
      <div className="row row--between">
        <span className="muted">
          {job.message ?? 'waiting to start'}
          {suffix ? ` · ${suffix}` : ''}
        </span>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </section>
  );
}
