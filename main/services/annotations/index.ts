export { annotationsHandlers } from './annotations-handlers';
export { AnnotationsService, type ImportParams } from './annotations-service';
export type { FetchParams } from './fetch-from-hub';
