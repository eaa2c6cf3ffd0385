import type { MethodName } from '../../shared/api/contract';
import type { ApiResult } from '../../shared/api/errors';
import type { EventName, EventPayload } from '../../shared/api/events';
import type { Transport } from '../transport/types';

type Responder = (args: unknown) => unknown;

/** A transport for component tests: scripted answers per method, a call log, and events the test can push. */
export function fakeTransport(responders: Partial<Record<MethodName, Responder>>) {
  const calls: Array<{ method: MethodName; args: unknown }> = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const transport: Transport = {
    kind: 'test',
    async call(method, args): Promise<ApiResult<unknown>> {
      calls.push({ method, args });
      const responder = responders[method];
      if (!responder) return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `no fake answer for ${method}` } };
      try {
        return { ok: true, value: responder(args) };
      } catch (error) {
        return { ok: false, error: { code: 'IO_ERROR', message: (error as Error).message } };
      }
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (payload: unknown) => void);
    },
    onConnection(listener) {
      listener('open');
      return () => undefined;
    },
  };
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => {
    for (const l of listeners.get(event) ?? []) l(payload);
  };
  return { transport, calls, emit };
}
