export { sourcesHandlers } from './sources-handlers';
export { SourcesService } from './sources-service';
