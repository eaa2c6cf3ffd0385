export { MediaLocator } from './media-locator';
export { PreviewCache } from './preview-cache';
export { SampleList } from './sample-list';
export { SampleReader } from './sample-reader';
export { viewerHandlers } from './viewer-handlers';
