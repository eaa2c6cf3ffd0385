import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { ApiError } from '../../../shared/api/errors';
import type { FileSystemKind } from './file-system';

/** Beside library.sqlite: which process has the library open, on a file system where only one may (see db.ts). */
export const OWNER_FILE = 'library.owner';

export interface OwnerNote {
  pid: number;
  host: string;
  program: string;
  startedAt: string;
  /** Tells this lease from another one of the same process, so a release never removes someone else's note. */
  token: string;
}

export interface OwnerLease {
  release(): void;
}

type Reading = { state: 'free' } | { state: 'unreadable'; text: string } | { state: 'note'; note: OwnerNote; text: string };

/** The name the note gives the holder, so a refused user knows which window or terminal to close. */
export function defaultProgram(): string {
  if (process.versions.electron) return 'the VC2 Media Manager app';
  const script = basename(process.argv[1] ?? '').replace(/\.[cm]?[jt]s$/, '');
  if (script === 'vc2m') return 'vc2m';
  if (script === 'web-host') return 'the VC2 Media Manager web host';
  return script ? `node ${script}` : 'a node process';
}

/**
 * Takes the library for this process: the note is written whole under a temporary name and then hard-linked into
 * place, so it appears atomically and only if absent (link is exclusive even on old NFS, where O_EXCL was not).
 * A note whose process is gone from this host is stale and replaced; one from another host cannot be checked
 * from here and is honoured, with the way out in the message.
 */
export function acquireOwnerNote(dir: string, program: string, fileSystem: FileSystemKind): OwnerLease {
  const note: OwnerNote = {
    pid: process.pid,
    host: hostname(),
    program,
    startedAt: new Date().toISOString(),
    token: randomBytes(8).toString('hex'),
  };
  const file = join(dir, OWNER_FILE);
  const text = `${JSON.stringify(note)}\n`;
  // Three tries: each lost race means another process just took or freed the note; more would be a livelock.
  for (let attempt = 0; attempt < 3; attempt++) {
    if (createExclusive(file, text)) return lease(file, note.token);
    const reading = readNote(file);
    if (reading.state === 'free') continue;
    if (reading.state === 'note' && isStale(reading.note)) {
      removeIfUnchanged(file, reading.text);
      continue;
    }
    throw inUse(dir, reading, fileSystem);
  }
  throw new ApiError('LIBRARY_IN_USE', `${dir} is being opened by another program at this moment; try again in a moment.`);
}

/**
 * For connections that do not take the note (an ingest worker of the process that holds it): refuses a library held
 * by another live process, so a stray open elsewhere never writes behind the holder's back.
 */
export function assertNotHeldElsewhere(dir: string, fileSystem: FileSystemKind): void {
  const reading = readNote(join(dir, OWNER_FILE));
  if (reading.state === 'free') return;
  if (reading.state === 'note' && (isThisProcess(reading.note) || isStale(reading.note))) return;
  throw inUse(dir, reading, fileSystem);
}

/** Creates `file` (failing with EEXIST when it is there) and writes `text` to disk before returning. */
function writeNew(file: string, text: string): void {
  const fd = openSync(file, 'wx', 0o644);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function createExclusive(file: string, text: string): boolean {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.partial`;
  writeNew(temp, text);
  try {
    linkSync(temp, file);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK', 'EXDEV'].includes(code ?? '')) throw error;
    // Some FUSE and SMB mounts have no hard links: O_EXCL is the next best, with a short window where the note
    // exists but is still empty (a reader then sees it as unreadable and refuses, which is the safe side).
    try {
      writeNew(file, text);
      return true;
    } catch (fallback) {
      if ((fallback as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw fallback;
    }
  } finally {
    try {
      unlinkSync(temp);
    } catch {
      // Already gone is fine: the temporary name carries nothing the note does not.
    }
  }
}

function lease(file: string, token: string): OwnerLease {
  const release = () => {
    process.off('exit', release);
    const reading = readNote(file);
    if (reading.state !== 'note' || reading.note.token !== token) return;
    try {
      unlinkSync(file);
    } catch {
      // Gone already (removed by hand): nothing left to release.
    }
  };
  // An exit without close (process.exit in a CLI command, an uncaught error) still frees the library.
  process.on('exit', release);
  return { release };
}

function readNote(file: string): Reading {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'free' };
    throw new ApiError('IO_ERROR', `cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    const parsed = JSON.parse(text) as Partial<OwnerNote>;
    if (Number.isInteger(parsed.pid) && typeof parsed.host === 'string') {
      return {
        state: 'note',
        text,
        note: {
          pid: parsed.pid as number,
          host: parsed.host,
          program: String(parsed.program ?? 'another program'),
          startedAt: String(parsed.startedAt ?? 'an unknown time'),
          token: String(parsed.token ?? ''),
        },
      };
    }
  } catch {
    // Falls through: a half-written or foreign file is reported as unreadable.
  }
  return { state: 'unreadable', text };
}

function isThisProcess(note: OwnerNote): boolean {
  return note.pid === process.pid && note.host === hostname();
}

/** Only a note of this host can be checked: its process is gone when signal 0 finds no such pid. */
function isStale(note: OwnerNote): boolean {
  if (note.host !== hostname() || note.pid === process.pid) return false;
  try {
    process.kill(note.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Moves the stale note aside before deleting it, so that of two processes replacing the same stale note only one
 * removes it; the other finds a fresh note instead, puts it back and sees the library as taken.
 */
function removeIfUnchanged(file: string, staleText: string): void {
  const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
  try {
    renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    if (readFileSync(aside, 'utf8') !== staleText) linkSync(aside, file);
  } catch {
    // A newer note appeared in its place meanwhile; that one wins and the moved copy is dropped below.
  } finally {
    unlinkSync(aside);
  }
}

function inUse(dir: string, reading: Exclude<Reading, { state: 'free' }>, fileSystem: FileSystemKind): ApiError {
  const file = join(dir, OWNER_FILE);
  // A note on a local disk was written by a program that reaches this folder over the network (its server's export).
  const why = fileSystem.shared
    ? `On this ${fileSystem.name} file system only one program at a time may have a library open.`
    : 'It was opened over a network file system, where only one program at a time may have a library open.';
  if (reading.state === 'unreadable') {
    return new ApiError(
      'LIBRARY_IN_USE',
      `${dir} is in use by another program (its note ${file} cannot be read). ${why} If no program has the library open, delete ${file} and try again.`,
    );
  }
  const { program, pid, host, startedAt } = reading.note;
  const here = isThisProcess(reading.note) ? ', this same process' : '';
  return new ApiError(
    'LIBRARY_IN_USE',
    `${dir} is in use by ${program} (pid ${pid} on host ${host}${here}) since ${startedAt}; close it there first. ${why} If that program is no longer running, delete ${file} and try again.`,
  );
}
