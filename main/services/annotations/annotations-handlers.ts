import type { HandlerSlice } from '../../../shared/api/handlers';
import type { AnnotationsService } from './annotations-service';

export function annotationsHandlers(annotations: AnnotationsService): HandlerSlice<'annotations'> {
  return {
    'annotations.status': () => annotations.status(),
    'annotations.detect': () => annotations.detect(),
    'annotations.import': ({ path }) => annotations.startImport(path),
    'annotations.fetch': ({ revision }) => annotations.startFetch(revision),
  };
}
