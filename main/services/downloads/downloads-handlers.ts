import type { HandlerSlice } from '../../../shared/api/handlers';
import type { DownloadsWatch } from '../downloads-watch/downloads-watch';
import type { VerifyService } from '../verify/verify-service';
import type { DownloadsService } from './downloads-service';
import type { MediaImportService } from './media-import-service';

export function downloadsHandlers(
  downloads: DownloadsService,
  imports: MediaImportService,
  verify: VerifyService,
  watch: DownloadsWatch,
): HandlerSlice<'media'> {
  return {
    'media.get': ({ sources, only, retryFailed, extract, tables, tasks }) =>
      downloads.start({ sources, only: only ?? null, retryFailed, extract, tables, tasks }),
    'media.downloads': ({ failed }) => downloads.ledger(failed),
    'media.import': (params) => imports.start(params),
    'media.status': () => downloads.status(verify.mediaBySource(), watch.found()),
    'media.m3it': () => downloads.m3itStatus(),
  };
}
