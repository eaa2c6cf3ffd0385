import { type MethodArgs, type MethodName, type MethodResult, methodNames } from './contract';
import type { DesktopBridge } from './desktop';
import type { ApiResult } from './errors';
import type { EventName, EventPayload } from './events';

type DomainOf<M extends string> = M extends `${infer D}.${string}` ? D : never;
type VerbOf<M extends string, D extends string> = M extends `${D}.${infer V}` ? V : never;
type Domain = DomainOf<MethodName>;

/** Methods whose argument object has no required field may be called with no argument. */
type Call<M extends MethodName, R> = Record<string, never> extends MethodArgs<M> ? (args?: MethodArgs<M>) => Promise<R> : (args: MethodArgs<M>) => Promise<R>;

type MethodTree<Wrap extends 'envelope' | 'value'> = {
  [D in Domain]: {
    [M in MethodName as VerbOf<M, D>]: Call<M, Wrap extends 'envelope' ? ApiResult<MethodResult<M>> : MethodResult<M>>;
  };
};

export type EventSubscriber = <E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) => () => void;

/** What preload exposes as `window.vc2`: results come back as envelopes because errors lose their fields across contextBridge. */
/** `desktop`: only in the Electron shell (its file picker). */
export type Vc2Bridge = MethodTree<'envelope'> & { on: EventSubscriber; desktop?: DesktopBridge };

/** What renderer code uses: results unwrapped, failures thrown as ApiError. */
export type Vc2Api = MethodTree<'value'> & { on: EventSubscriber };

/** Builds `{ library: { open: fn, … }, … }` from the contract, so no layer keeps its own method list. */
export function buildMethodTree<F>(make: (method: MethodName) => F): Record<string, Record<string, F>> {
  const tree: Record<string, Record<string, F>> = {};
  for (const method of methodNames) {
    const dot = method.indexOf('.');
    const domain = method.slice(0, dot);
    const verb = method.slice(dot + 1);
    tree[domain] ??= {};
    tree[domain][verb] = make(method);
  }
  return tree;
}
