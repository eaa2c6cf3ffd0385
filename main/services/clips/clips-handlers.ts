import type { HandlerSlice } from '../../../shared/api/handlers';
import type { ClipSource, ClipsService } from './clips-service';

export function clipsHandlers(clips: ClipsService): HandlerSlice<'clips'> {
  return {
    'clips.run': ({ sourceId, spec, from, mode, jobs, cut }) => clips.start({ sourceId: sourceId as ClipSource, spec, from, mode, jobs: jobs ?? null, cut }),
    'clips.items': ({ sourceId }) => clips.rows(sourceId),
  };
}
