export { MediaLocator } from './media-locator';
export { SampleReader } from './sample-reader';
export { viewerHandlers } from './viewer-handlers';
