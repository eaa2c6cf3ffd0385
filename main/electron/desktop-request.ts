import type { z } from 'zod';
import type { ApiError } from '../../shared/api/errors';
import type { IpcEventLike } from './ipc';

type Refusal = { ok: false; error: Pick<ApiError, 'code' | 'message'> };

/**
 * The checks every desktop-only channel makes before acting: the request comes from our own top-level page, and its
 * arguments fit the channel's schema. Either the parsed arguments or the refusal to send back.
 */
export function checkDesktopRequest<S extends z.ZodType>(
  name: string,
  schema: S,
  event: IpcEventLike,
  raw: unknown,
  isTrustedUrl: (url: string) => boolean,
): { ok: true; args: z.output<S> } | Refusal {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null || !isTrustedUrl(frame.url)) {
    return { ok: false, error: { code: 'FORBIDDEN_SENDER', message: `${name}: request from an untrusted frame was refused` } };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      error: { code: 'VALIDATION_ERROR', message: `${name}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'args'}: ${i.message}`).join('; ')}` },
    };
  }
  return { ok: true, args: parsed.data };
}
