import type { HandlerSlice } from '../../../shared/api/handlers';
import type { VerifyService } from '../verify/verify-service';
import type { DownloadsService } from './downloads-service';
import type { MediaImportService } from './media-import-service';

export function downloadsHandlers(downloads: DownloadsService, imports: MediaImportService, verify: VerifyService): HandlerSlice<'media'> {
  return {
    'media.get': ({ sources, only, retryFailed, extract, tables, tasks }) =>
      downloads.start({ sources, only: only ?? null, retryFailed, extract, tables, tasks }),
    'media.downloads': ({ failed }) => downloads.ledger(failed),
    'media.import': (params) => imports.start(params),
    'media.status': () => downloads.status(verify.mediaBySource()),
    'media.m3it': () => downloads.m3itStatus(),
  };
}
