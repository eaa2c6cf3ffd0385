import { z } from 'zod';

/** Every error the engine can return, as stable codes the renderer and the CLI can branch on. */
export const errorCodes = [
  'VALIDATION_ERROR',
  'UNKNOWN_METHOD',
  'FORBIDDEN_SENDER',
  'NOT_A_LIBRARY',
  'LIBRARY_EXISTS',
  'LIBRARY_NOT_OPEN',
  'LIBRARY_TOO_NEW',
  'LIBRARY_IN_USE',
  'NOT_FOUND',
  'IO_ERROR',
  'READ_ONLY',
  'BAD_ANNOTATION_FILE',
  'HUB_AUTH_REQUIRED',
  'HUB_TERMS_NOT_ACCEPTED',
  'HUB_NOT_FOUND',
  'HUB_RATE_LIMITED',
  'HUB_UNAVAILABLE',
  'DOWNLOAD_CORRUPT',
  'DOWNLOAD_REFUSED',
  'DOWNLOAD_FAILED',
  'DISK_FULL',
  'BAD_ARCHIVE',
  'ENGINE_UNAVAILABLE',
  'INTERNAL',
] as const;

export const ErrorCodeSchema = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const ApiErrorShapeSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  /** Field-level problems for VALIDATION_ERROR: `path` is the dotted path inside the arguments. */
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ApiErrorShape = z.infer<typeof ApiErrorShapeSchema>;

/** The envelope every transport carries: errors travel as data because thrown errors lose their fields across IPC. */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiErrorShape };

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: ErrorCode;
  readonly issues: ApiErrorShape['issues'];

  constructor(code: ErrorCode, message: string, issues?: ApiErrorShape['issues']) {
    super(message);
    this.code = code;
    this.issues = issues;
  }

  toShape(): ApiErrorShape {
    return this.issues ? { code: this.code, message: this.message, issues: this.issues } : { code: this.code, message: this.message };
  }

  static fromShape(shape: ApiErrorShape): ApiError {
    return new ApiError(shape.code, shape.message, shape.issues);
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}
