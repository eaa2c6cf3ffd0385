import type { HandlerSlice } from '../../../shared/api/handlers';
import type { MediaLocator } from './media-locator';

export function viewerHandlers(locator: MediaLocator): HandlerSlice<'viewer'> {
  return {
    'viewer.locate': (args) => locator.locate(args),
  };
}
