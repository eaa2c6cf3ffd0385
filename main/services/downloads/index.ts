export { downloadsHandlers } from './downloads-handlers';
export { DOWNLOADS_FOLDER, DownloadsService, type GetParams, notDownloadable } from './downloads-service';
