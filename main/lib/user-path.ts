import { realpathSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { ApiError } from '../../shared/api/errors';
import { expandUserPath } from './paths';

/**
 * Kernel file systems: they look like folders but are not storage, and some make ordinary calls loop forever
 * (recursive mkdir under /proc/self never returns, #9). A library, an export or a media root never lives there.
 */
const SYSTEM_ROOTS = process.platform === 'linux' ? ['/proc', '/sys', '/dev'] : process.platform === 'darwin' ? ['/dev'] : [];

/** Whether `path` is `folder` or lies under it; both absolute and normalised (resolved or real paths). */
export function isInside(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep);
}

/** The real path of `path` even when its tail does not exist yet: the deepest existing ancestor resolved, the rest appended. */
export function realPathOf(path: string): string {
  const tail: string[] = [];
  let head = path;
  for (;;) {
    try {
      return join(realpathSync.native(head), ...tail.reverse());
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const parent = dirname(head);
      // Only a missing component is walked past; a loop or a refusal is an answer about the path itself.
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || parent === head) throw error;
      tail.push(basename(head));
      head = parent;
    }
  }
}

/** A bounded echo of what the user sent: a 10 MB path is not repeated back in full. */
export function shownPath(path: string, max = 300): string {
  return path.length <= max ? path : `${path.slice(0, max)}… (${path.length.toLocaleString('en-US')} characters)`;
}

export interface UserPath {
  /** As the user wrote it, `~` expanded and normalised: what is shown and stored. */
  path: string;
  /** With every link resolved: what containment checks compare. */
  real: string;
}

/**
 * Checks a path that came from the user (a page, the CLI) before anything touches the file system with it:
 * absolute on this platform, not a kernel file system (also through a link), and resolvable. `what` names the
 * path in errors ("the library folder", "the export folder").
 */
export function resolveUserPath(raw: string, what: string): UserPath {
  const trimmed = raw.trim();
  if (process.platform !== 'win32' && (/^[A-Za-z]:[\\/]/.test(trimmed) || trimmed.startsWith('\\\\'))) {
    throw new ApiError(
      'VALIDATION_ERROR',
      `${shownPath(trimmed)} is a Windows path, and this app runs on ${process.platform}: give ${what} as a path on this machine, e.g. /home/you/VideoChat2-IT or ~/VideoChat2-IT`,
    );
  }
  let path: string;
  try {
    path = expandUserPath(trimmed);
  } catch {
    throw new ApiError('VALIDATION_ERROR', `${shownPath(trimmed)} is not an absolute path: give ${what} as a full path, e.g. ~/VideoChat2-IT`);
  }
  const refuseSystem = (p: string) => {
    const root = SYSTEM_ROOTS.find((r) => isInside(p, r));
    if (root) {
      throw new ApiError(
        'VALIDATION_ERROR',
        `${shownPath(path)}${p === path ? '' : ` (which leads to ${shownPath(p)})`} is inside ${root}, a system file system, not storage: choose a folder on a disk for ${what}`,
      );
    }
  };
  refuseSystem(path);
  let real: string;
  try {
    real = realPathOf(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new ApiError('IO_ERROR', `cannot use ${shownPath(path)} as ${what} (${code}): check the path and its links, and that you may read it`);
  }
  refuseSystem(real);
  return { path, real };
}
