import type { HandlerSlice } from '../../../shared/api/handlers';
import type { MediaLocator } from './media-locator';
import type { SampleList } from './sample-list';
import type { SampleReader } from './sample-reader';

export function viewerHandlers(locator: MediaLocator, samples: SampleReader, list: SampleList): HandlerSlice<'viewer'> {
  return {
    'viewer.locate': (args) => locator.locate(args),
    'viewer.sample': (args) => samples.sample(args),
    'viewer.list': (args) => list.list(args),
  };
}
