export { MediaLocator } from './media-locator';
export { viewerHandlers } from './viewer-handlers';
