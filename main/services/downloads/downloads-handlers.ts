import type { HandlerSlice } from '../../../shared/api/handlers';
import type { DownloadsService } from './downloads-service';

export function downloadsHandlers(downloads: DownloadsService): HandlerSlice<'media'> {
  return {
    'media.get': ({ sources, only, retryFailed }) => downloads.start({ sources, only: only ?? null, retryFailed }),
    'media.downloads': ({ failed }) => downloads.ledger(failed),
  };
}
