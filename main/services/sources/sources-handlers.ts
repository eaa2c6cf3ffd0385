import type { HandlerSlice } from '../../../shared/api/handlers';
import type { SourcesService } from './sources-service';

export function sourcesHandlers(sources: SourcesService): HandlerSlice<'sources'> {
  return {
    'sources.list': () => sources.list(),
    'sources.setRoot': ({ sourceId, path }) => sources.setRoot(sourceId, path),
  };
}
