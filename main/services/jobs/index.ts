export { type JobBody, type JobContext, type JobOutcome, JobRunner } from './job-runner';
export { jobsHandlers } from './jobs-handlers';
