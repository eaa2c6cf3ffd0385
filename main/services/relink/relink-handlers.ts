import type { HandlerSlice } from '../../../shared/api/handlers';
import type { RelinkService } from './relink-service';

export function relinkHandlers(relink: RelinkService): HandlerSlice<'relink'> {
  return {
    'relink.scan': ({ folders, sourceId }) => relink.startScan({ folders, sourceId: sourceId ?? null }),
    'relink.proposals': ({ from, limit, only }) => relink.page(from, limit, only),
    'relink.decide': ({ ids, accept, chosen }) => relink.decide(ids, accept, chosen ?? null),
    'relink.apply': ({ mode }) => relink.startApply({ mode }),
  };
}
