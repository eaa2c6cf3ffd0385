import type { HandlerSlice } from '../../../shared/api/handlers';
import type { JobRunner } from './job-runner';

export function jobsHandlers(jobs: JobRunner): HandlerSlice<'jobs'> {
  return {
    'jobs.list': () => jobs.list(),
    'jobs.get': ({ id }) => jobs.get(id),
    'jobs.cancel': ({ ids }) => jobs.cancel(ids),
    'jobs.pause': ({ ids }) => jobs.pause(ids),
    'jobs.resume': ({ ids }) => jobs.resume(ids),
  };
}
