import type { ApiResult } from '../../shared/api/errors';
import type { EventName } from '../../shared/api/events';
import type { ConnectionState, Transport } from './types';

/** The token the web host put into index.html; the page sends it with every request. */
function pageToken(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="vc2-token"]')?.content ?? '';
}

/** HTTP for requests, one WebSocket for events, reconnecting with growing pauses when the host restarts. */
export function createWebTransport(): Transport {
  const token = pageToken();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = 'connecting';
  let retryMs = 500;

  const setState = (next: ConnectionState) => {
    state = next;
    for (const l of connectionListeners) l(next);
  };

  const connect = () => {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${scheme}://${location.host}/api/events?token=${encodeURIComponent(token)}`);
    socket.onopen = () => {
      retryMs = 500;
      setState('open');
    };
    socket.onmessage = (message) => {
      const { event, payload } = JSON.parse(String(message.data)) as { event: string; payload: unknown };
      for (const l of listeners.get(event) ?? []) l(payload);
    };
    socket.onclose = () => {
      if (state !== 'lost') setState('lost');
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 10_000);
    };
  };
  connect();

  return {
    kind: 'web',
    async call(method, args): Promise<ApiResult<unknown>> {
      try {
        const { bytes, ...rest } = (args ?? {}) as { bytes?: unknown };
        // A call carrying bytes (an ffmpeg.wasm clip coming back) sends them as the body, the rest in the query.
        const binary = bytes instanceof Uint8Array;
        const response = await fetch(binary ? `/api/${method}?args=${encodeURIComponent(JSON.stringify(rest))}` : `/api/${method}`, {
          method: 'POST',
          headers: { 'Content-Type': binary ? 'application/octet-stream' : 'application/json', Authorization: `Bearer ${token}` },
          body: binary ? (bytes as Uint8Array<ArrayBuffer>) : JSON.stringify(args ?? {}),
        });
        if (response.status === 401)
          return { ok: false, error: { code: 'FORBIDDEN_SENDER', message: 'the web host refused the token: open the URL it printed at start-up again' } };
        return (await response.json()) as ApiResult<unknown>;
      } catch (error) {
        return {
          ok: false,
          error: { code: 'ENGINE_UNAVAILABLE', message: `the web host is not reachable (${(error as Error).message}); is it still running?` },
        };
      }
    },
    on(event: EventName, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (payload: unknown) => void);
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      listener(state);
      return () => connectionListeners.delete(listener);
    },
  };
}
