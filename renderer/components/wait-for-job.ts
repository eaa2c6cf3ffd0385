import type { JobSnapshot } from '../../shared/api/models';
import { api } from '../transport/transport';

export const TERMINAL_STATES = new Set<JobSnapshot['state']>(['finished', 'failed', 'cancelled']);

/**
 * Follows a job the page started until it ends, handing each snapshot to `onJob`. Polled as well as pushed: a fast
 * job can end before its start's reply arrives, and its last event with it.
 */
export async function waitForJob(job: JobSnapshot, onJob: (job: JobSnapshot) => void = () => undefined): Promise<JobSnapshot> {
  for (let current = job; ; ) {
    onJob(current);
    if (TERMINAL_STATES.has(current.state)) return current;
    await new Promise((r) => setTimeout(r, 500));
    current = await api.jobs.get({ id: job.id });
  }
}
