import { ApiError } from '../../../shared/api/errors';

/** How a full disk's reason starts, in the ledger too: a job paused by it waits for room (downloads-service.ts). */
export const NO_SPACE_PREFIX = 'no space left';

/** A write refused for want of room (or of quota): not a damaged archive, and not to be reported as one. */
export function isNoSpace(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/** The error a full disk during an extraction is reported as: where, and what to do. `kept` says what stays. */
export function noSpaceWhileExtracting(archive: string, dest: string, kept: string): ApiError {
  return new ApiError(
    'DISK_FULL',
    `${NO_SPACE_PREFIX} on the disk holding ${dest} while extracting ${archive}; ${kept}. Free some space and run it again: files already extracted are not written twice.`,
  );
}
