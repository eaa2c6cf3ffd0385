export { MediaLocator } from './media-locator';
export { SampleList } from './sample-list';
export { SampleReader } from './sample-reader';
export { viewerHandlers } from './viewer-handlers';
