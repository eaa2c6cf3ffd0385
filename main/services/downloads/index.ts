export { downloadsHandlers } from './downloads-handlers';
export { DOWNLOADS_FOLDER, DownloadsService, type GetParams, globToRegExp, notDownloadable } from './downloads-service';
export { type ImportParams, MediaImportService } from './media-import-service';
