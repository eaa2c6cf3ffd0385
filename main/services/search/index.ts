export { searchHandlers } from './search-handlers';
export { SearchService } from './search-service';
