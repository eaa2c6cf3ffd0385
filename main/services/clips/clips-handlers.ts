import type { HandlerSlice } from '../../../shared/api/handlers';
import type { ClipSource, ClipsService } from './clips-service';

export function clipsHandlers(clips: ClipsService): HandlerSlice<'clips'> {
  return {
    'clips.run': ({ sourceId, spec, from, mode, jobs, cut, backend }) =>
      clips.start({ sourceId: sourceId as ClipSource, spec, from, mode, jobs: jobs ?? null, cut, backend }),
    'clips.precut': ({ subsetId, mode, jobs, cut, backend }) =>
      clips.start({ sourceId: 'records', spec: '', from: '', subsetId, mode, jobs: jobs ?? null, cut, backend }),
    'clips.items': ({ sourceId }) => clips.rows(sourceId),
    'clips.backend': () => clips.backends(),
    'clips.locateSource': ({ token }) => clips.locateWasmSource(token),
    'clips.wasmTask': () => clips.wasmTask(),
    'clips.wasmProgress': ({ taskId, fraction }) => clips.wasmProgress(taskId, fraction),
    'clips.wasmChunk': ({ taskId, ref, offset, bytes }) => clips.wasmChunk(taskId, ref, offset, bytes),
    'clips.wasmFinish': ({ taskId, ...result }) => clips.wasmFinish(taskId, result),
  };
}
