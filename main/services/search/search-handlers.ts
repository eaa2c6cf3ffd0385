import type { HandlerSlice } from '../../../shared/api/handlers';
import type { SearchService } from './search-service';

export function searchHandlers(search: SearchService): HandlerSlice<'search'> {
  return {
    'search.query': (args) => {
      search.ensureIndex(true);
      return search.search(args);
    },
    'search.status': () => {
      search.ensureIndex(true);
      return search.status();
    },
    'search.build': () => search.ensureIndex(),
  };
}
