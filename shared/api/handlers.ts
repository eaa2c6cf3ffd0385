import type { MethodName, MethodResult, ParsedArgs } from './contract';

export type Handler<M extends MethodName> = (args: ParsedArgs<M>) => Promise<MethodResult<M>> | MethodResult<M>;

/** The engine's whole handler table: TypeScript fails the build if a contract method has no handler. */
export type Handlers = { [M in MethodName]: Handler<M> };

/** One service's part of the table: every method of its domain. */
export type HandlerSlice<D extends string> = { [M in MethodName as M extends `${D}.${string}` ? M : never]: Handler<M> };
