import type { ApiResult } from '../../shared/api/errors';

/** What a host shell needs from the engine: relay a request, hear its events. EngineClient is the real one. */
export interface EngineLike {
  call(method: string, args: unknown): Promise<ApiResult<unknown>>;
  onEvent(listener: (name: string, payload: unknown) => void): () => void;
}
