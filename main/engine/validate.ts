import { contract, isMethodName, type MethodName } from '../../shared/api/contract';
import type { ApiErrorShape } from '../../shared/api/errors';

export type Validated = { ok: true; method: MethodName; args: unknown } | { ok: false; error: ApiErrorShape };

function issuePath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(arguments)' : path.map(String).join('.');
}

/** Checks a request against the contract; the message names the method, the field and what is wrong with it. */
export function validateCall(method: string, raw: unknown): Validated {
  if (!isMethodName(method)) return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `unknown method ${JSON.stringify(method).slice(0, 80)}` } };
  const parsed = contract[method].args.safeParse(raw === undefined ? {} : raw);
  if (parsed.success) return { ok: true, method, args: parsed.data };
  const issues = parsed.error.issues.map((i) => ({ path: issuePath(i.path), message: i.message }));
  const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  return { ok: false, error: { code: 'VALIDATION_ERROR', message: `${method}: invalid arguments — ${summary}`, issues } };
}
