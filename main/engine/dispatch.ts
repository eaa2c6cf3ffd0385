import type { MethodName } from '../../shared/api/contract';
import { ApiError, type ApiErrorShape, type ApiResult } from '../../shared/api/errors';
import type { Handlers } from '../../shared/api/handlers';
import { validateCall } from './validate';

/** Runs one request: arguments are checked against the contract again here, so no handler ever sees a raw value. */
export async function dispatch(handlers: Handlers, method: string, raw: unknown): Promise<ApiResult<unknown>> {
  const call = validateCall(method, raw);
  if (!call.ok) return call;
  try {
    const handler = handlers[call.method] as (args: unknown) => unknown;
    const value = await handler(call.args);
    return { ok: true, value: value ?? null };
  } catch (error) {
    return { ok: false, error: toErrorShape(call.method, error) };
  }
}

function toErrorShape(method: MethodName, error: unknown): ApiErrorShape {
  if (error instanceof ApiError) return error.toShape();
  const message = error instanceof Error ? error.message : String(error);
  console.error(`[engine] ${method} failed:`, error);
  return { code: 'INTERNAL', message: `${method} failed: ${message}` };
}
