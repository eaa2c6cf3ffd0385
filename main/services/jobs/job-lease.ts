import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * Who runs a job: a lease in the jobs table (migration 0080). The owner's name says where it runs, so a process on
 * the same host can tell at once that another one is gone; owners elsewhere (shards of a cluster job on shared
 * storage) are judged by their heartbeat.
 */
export function newOwner(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/** Why a running job was aborted: asked to pause, to cancel, or let go because its library closed. */
export class Interrupt extends Error {
  constructor(readonly kind: 'pause' | 'cancel' | 'release') {
    super(kind === 'pause' ? 'paused by the user' : kind === 'cancel' ? 'cancelled by the user' : 'library closed');
  }
}

export const interruptOf = (signal: AbortSignal): Interrupt['kind'] | null =>
  signal.aborted ? (signal.reason instanceof Interrupt ? signal.reason.kind : 'cancel') : null;

/**
 * Whether a job's owner (host:pid:nonce) is certainly gone: a process of this host that no longer exists. Owners on
 * other hosts (shards on shared storage) are judged by their heartbeat alone.
 */
export function ownerIsDead(owner: string, self: string): boolean {
  const [host, pidText] = owner.split(':');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || owner === self) return false;
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
