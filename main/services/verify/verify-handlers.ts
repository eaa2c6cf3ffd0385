import type { HandlerSlice } from '../../../shared/api/handlers';
import type { VerifyService } from './verify-service';

export function verifyHandlers(verify: VerifyService): HandlerSlice<'verify'> {
  return {
    'verify.start': ({ level, sourceId, subsetId, force }) => verify.start({ level, sourceId: sourceId ?? null, subsetId: subsetId ?? null, force }),
    'verify.report': ({ missing }) => verify.report({ missing }),
    'verify.missing': (query) => verify.missing(query),
  };
}
