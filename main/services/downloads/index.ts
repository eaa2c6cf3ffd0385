export { downloadsHandlers } from './downloads-handlers';
export { DOWNLOADS_FOLDER, DownloadsService, type GetParams, type ImportParams, notDownloadable } from './downloads-service';
