export { libraryHandlers } from './library-handlers';
export { DATABASE_FILE, LibraryService, MEDIA_FOLDER } from './library-service';
export { measureUsage } from './measure-usage';
