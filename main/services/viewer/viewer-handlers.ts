import type { HandlerSlice } from '../../../shared/api/handlers';
import type { MediaLocator } from './media-locator';
import type { SampleReader } from './sample-reader';

export function viewerHandlers(locator: MediaLocator, samples: SampleReader): HandlerSlice<'viewer'> {
  return {
    'viewer.locate': (args) => locator.locate(args),
    'viewer.sample': (args) => samples.sample(args),
  };
}
