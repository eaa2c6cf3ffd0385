import type { HandlerSlice } from '../../../shared/api/handlers';
import type { MediaLocator } from './media-locator';
import type { PreviewCache } from './preview-cache';
import type { SampleList } from './sample-list';
import type { SampleReader } from './sample-reader';

export function viewerHandlers(locator: MediaLocator, samples: SampleReader, list: SampleList, previews: PreviewCache): HandlerSlice<'viewer'> {
  return {
    'viewer.locate': ({ preview, frame, ...target }) =>
      preview ? previews.file(target) : frame !== undefined ? locator.frame(target, frame) : locator.locate(target),
    'viewer.frames': (args) => locator.frames(args),
    'viewer.sample': (args) => samples.sample(args),
    'viewer.list': (args) => list.list(args),
    'viewer.preview': (args) => previews.request(args),
  };
}
