import type { HandlerSlice } from '../../../shared/api/handlers';
import type { ManifestService } from './manifest-service';

export function manifestHandlers(manifests: ManifestService): HandlerSlice<'manifest'> {
  return {
    'manifest.write': ({ level, hash, out }) => manifests.start({ level, hash, out }),
    'manifest.compare': ({ path }) => manifests.compare(path),
  };
}
