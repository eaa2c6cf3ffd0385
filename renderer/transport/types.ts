import type { MethodName } from '../../shared/api/contract';
import type { ApiResult } from '../../shared/api/errors';
import type { EventName, EventPayload } from '../../shared/api/events';

export type ConnectionState = 'connecting' | 'open' | 'lost';

/** How the renderer reaches the engine: IPC in Electron, HTTP + WebSocket in the web host, a fake in tests. */
export interface Transport {
  readonly kind: 'electron' | 'web' | 'test';
  call(method: MethodName, args: unknown): Promise<ApiResult<unknown>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** Fires 'open' again after a reconnect, so stores re-list what they may have missed. */
  onConnection(listener: (state: ConnectionState) => void): () => void;
}
