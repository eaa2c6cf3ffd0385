import type { Database } from 'better-sqlite3';
import type { z } from 'zod';
import { ApiError } from '../../../shared/api/errors';
import type { JobKind, JobSnapshot, JobState } from '../../../shared/api/models';
import { backoffMs, JOB_BACKOFF } from '../../lib/backoff';
import { KeyedThrottle } from '../../lib/throttle';
import { Interrupt, interruptOf, newOwner, ownerIsDead } from './job-lease';
import { JobStore } from './job-store';

export interface JobProgress {
  done: number;
  total?: number | null;
  message?: string;
}

export interface JobContext {
  /** The job's id: what it writes can be marked as its own, so clean-ups of other jobs leave it alone. */
  jobId: number;
  signal: AbortSignal;
  /** Absolute counts, not increments, so a lost or repeated report is harmless. */
  report: (progress: JobProgress) => void;
}

export type JobOutcome =
  | { status: 'finished'; message?: string }
  | { status: 'retry'; message?: string }
  | { status: 'rate-limited'; pauseMs: number; message?: string };

export type JobBody = (params: unknown, context: JobContext) => Promise<JobOutcome>;

export interface JobRunnerOptions {
  kinds: Partial<Record<JobKind, JobBody>>;
  emit: (snapshot: JobSnapshot) => void;
  maxConcurrent?: number;
  maxAttempts?: number;
  /** Progress events per job are limited to one per interval (10/s by default); state changes always go out. */
  progressIntervalMs?: number;
  /**
   * Kinds in the same group never run at the same time: the next one waits in the queue until the running one
   * ends (two ingests of one library would otherwise clean up each other's half-written versions, #9).
   */
  exclusive?: Partial<Record<JobKind, string>>;
  /**
   * Lanes: each runs at most `limit` of its kinds at once, independently of the others, so that a long download
   * never waits behind a verify or holds one up. Kinds in no lane (and no exclusive group) share a lane of
   * `maxConcurrent`.
   */
  lanes?: Record<string, { kinds: readonly JobKind[]; limit: number }>;
  /** Checked when a job is read back to run; a job whose stored parameters do not fit fails with the reason. */
  params?: Partial<Record<JobKind, z.ZodType>>;
  /**
   * Which queued jobs this process runs: 'all' (the app, the web host: it serves the library's queue) or 'own'
   * (vc2m: only the jobs it queued or resumed itself, so a command run beside the app never takes the app's work).
   */
  claim?: 'all' | 'own';
  /** How often a running job's owner says it is alive and reads pause/cancel requests from other processes. */
  heartbeatMs?: number;
  /** A running job whose owner has not said so for this long is taken to be abandoned (its process is gone). */
  leaseMs?: number;
}

/** States after which a job does nothing until someone acts: waiting for a job ends there. */
const STOPPED: ReadonlySet<JobState> = new Set(['finished', 'failed', 'cancelled', 'paused']);

/** Runs the library's persistent job queue: at most `maxConcurrent` at once, retries with backoff, crash-safe. */
export class JobRunner {
  private store: JobStore | null = null;
  private readonly running = new Map<number, AbortController>();
  private readonly runningKinds = new Map<number, JobKind>();
  private readonly lastTotals = new Map<number, number | null>();
  private readonly waiters = new Map<number, Array<(s: JobSnapshot) => void>>();
  private readonly throttle: KeyedThrottle<number, JobSnapshot>;
  private wakeTimer: NodeJS.Timeout | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private generation = 0;
  /** This process's name on the jobs it runs. */
  readonly owner = newOwner();
  /** In 'own' mode, the jobs this process queued or resumed. */
  private readonly own = new Set<number>();

  constructor(private readonly options: JobRunnerOptions) {
    this.throttle = new KeyedThrottle(options.progressIntervalMs ?? 100, (_id, snapshot) => {
      try {
        this.store?.saveProgress(snapshot);
      } catch (error) {
        // Progress is advisory (the next report rewrites it) and this runs from a timer, where a throw would end the
        // engine: a library kept busy by another program (SQLITE_BUSY) must cost a progress row, not the process.
        console.warn(`[jobs] progress of job ${snapshot.id} not saved: ${(error as Error).message}`);
      }
      options.emit(snapshot);
    });
  }

  /** Starts serving a library's queue; jobs left running by a process that is gone go back to the queue. */
  attach(db: Database): void {
    this.store = new JobStore(db);
    this.releaseAbandoned();
    this.generation++;
    this.own.clear();
    const every = this.options.heartbeatMs ?? 1000;
    this.heartbeatTimer = setInterval(() => this.beat(), every);
    this.heartbeatTimer.unref();
    this.pump();
  }

  private releaseAbandoned(): void {
    this.store?.releaseAbandoned(Date.now() - (this.options.leaseMs ?? 15_000), (owner) => ownerIsDead(owner, this.owner));
  }

  /** The heartbeat: this process's jobs marked alive, other processes' requests acted on, abandoned jobs freed. */
  private beat(): void {
    const store = this.store;
    if (!store) return;
    try {
      for (const { id, control } of store.heartbeat(this.owner)) this.running.get(id)?.abort(new Interrupt(control));
      this.releaseAbandoned();
      // Waits on jobs another process runs are answered from the library itself.
      for (const id of this.waiters.keys()) {
        if (this.running.has(id)) continue;
        const snapshot = store.get(id);
        if (snapshot && STOPPED.has(snapshot.state)) this.notify(id, snapshot);
      }
      this.pump();
    } catch (error) {
      // As progress: a library another program keeps busy costs a beat, never the process.
      console.warn(`[jobs] heartbeat skipped: ${(error as Error).message}`);
    }
  }

  /** Stops serving the library: running jobs are aborted and will resume next time it is opened. */
  async detach(): Promise<void> {
    const store = this.store;
    if (!store) return;
    this.generation++;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
    const settled = [...this.running.keys()].map((id) => this.waitForJob(id, { includeQueued: true }));
    for (const controller of this.running.values()) controller.abort(new Interrupt('release'));
    await Promise.race([Promise.all(settled), new Promise((r) => setTimeout(r, 5000).unref())]);
    // Whatever did not stop in time is handed back now, so the next process to open the library takes it at once.
    store.releaseAll(this.owner);
    this.store = null;
  }

  enqueue(kind: JobKind, params: unknown = {}): JobSnapshot {
    if (!this.options.kinds[kind]) throw new ApiError('INTERNAL', `no runner for job kind ${kind}`);
    const snapshot = this.requireStore().insert(kind, params);
    this.own.add(snapshot.id);
    this.options.emit(snapshot);
    this.pump();
    return snapshot;
  }

  list(): JobSnapshot[] {
    return this.store?.list() ?? [];
  }

  /** The parameters a job was queued with, as stored. */
  params(id: number): unknown {
    return this.requireStore().params(id);
  }

  get(id: number): JobSnapshot {
    const job = this.requireStore().get(id);
    if (!job) throw new ApiError('NOT_FOUND', `there is no job ${id} in this library`);
    return job;
  }

  /** Cancels queued, paused or running jobs (a job another process runs stops on that process's next heartbeat). */
  cancel(ids: readonly number[]): JobSnapshot[] {
    return this.interrupt(ids, 'cancel');
  }

  /**
   * Pauses queued or running jobs: a running one stops where it is (a download keeps its partial files) and, once
   * resumed, carries on from there.
   */
  pause(ids: readonly number[]): JobSnapshot[] {
    return this.interrupt(ids, 'pause');
  }

  /** Puts paused jobs back in the queue; this process runs them (in 'own' mode too). */
  resume(ids: readonly number[]): JobSnapshot[] {
    const store = this.requireStore();
    const result: JobSnapshot[] = [];
    for (const id of ids) {
      const job = store.get(id);
      if (!job) continue;
      if (job.state !== 'paused') {
        result.push(job);
        continue;
      }
      this.own.add(id);
      result.push(this.settle(id, 'queued', { message: 'resumed' }));
    }
    this.pump();
    return result.map((j) => store.get(j.id) ?? j);
  }

  private interrupt(ids: readonly number[], kind: 'pause' | 'cancel'): JobSnapshot[] {
    const store = this.requireStore();
    const result: JobSnapshot[] = [];
    for (const id of ids) {
      const job = store.get(id);
      if (!job) continue;
      const stoppable = job.state === 'queued' || (kind === 'cancel' && job.state === 'paused');
      if (stoppable) result.push(this.settle(id, kind === 'pause' ? 'paused' : 'cancelled', { message: kind === 'pause' ? 'paused' : 'cancelled' }));
      else if (job.state === 'running') {
        const here = this.running.get(id);
        if (here) here.abort(new Interrupt(kind));
        else store.requestControl(id, kind);
        result.push(store.get(id) ?? job);
      } else result.push(job);
    }
    return result;
  }

  /** Resolves when the job stops: finished, failed, cancelled or paused (with includeQueued, also when it goes back to the queue). */
  waitForJob(id: number, options: { includeQueued?: boolean } = {}): Promise<JobSnapshot> {
    const current = this.store?.get(id);
    if (current && STOPPED.has(current.state)) return Promise.resolve(current);
    return new Promise((resolve) => {
      const list = this.waiters.get(id) ?? [];
      list.push((s) => {
        if (STOPPED.has(s.state) || options.includeQueued) resolve(s);
        else this.waitForJob(id, options).then(resolve);
      });
      this.waiters.set(id, list);
    });
  }

  private requireStore(): JobStore {
    if (!this.store) throw new ApiError('LIBRARY_NOT_OPEN', 'open or create a library first');
    return this.store;
  }

  /** The lane a kind runs in and that lane's limit. */
  private laneOf(kind: JobKind): { lane: string; limit: number } {
    for (const [lane, { kinds, limit }] of Object.entries(this.options.lanes ?? {})) if (kinds.includes(kind)) return { lane, limit };
    const group = this.options.exclusive?.[kind];
    if (group !== undefined) return { lane: `exclusive:${group}`, limit: 1 };
    return { lane: 'default', limit: this.options.maxConcurrent ?? 2 };
  }

  private pump(): void {
    const store = this.store;
    if (!store) return;
    const busy = new Map<string, number>();
    for (const kind of this.runningKinds.values()) {
      const { lane } = this.laneOf(kind);
      busy.set(lane, (busy.get(lane) ?? 0) + 1);
    }
    // In queue order; a job whose lane is full waits without holding up the jobs of other lanes behind it.
    for (const job of store.nextRunnable(Date.now(), [...this.running.keys()])) {
      if (this.options.claim === 'own' && !this.own.has(job.id)) continue;
      const { lane, limit } = this.laneOf(job.kind);
      const used = busy.get(lane) ?? 0;
      if (used >= limit) continue;
      const claimed = store.claim(job.id, this.owner);
      if (!claimed) continue;
      busy.set(lane, used + 1);
      this.start(claimed);
    }
    this.scheduleWake(store);
  }

  private scheduleWake(store: JobStore): void {
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = null;
    const next = store.nextRetryAt();
    if (next === null) return;
    this.wakeTimer = setTimeout(() => this.pump(), Math.max(0, next - Date.now()));
    this.wakeTimer.unref();
  }

  private start(job: JobSnapshot): void {
    const body = this.options.kinds[job.kind];
    const store = this.requireStore();
    const controller = new AbortController();
    const generation = this.generation;
    this.running.set(job.id, controller);
    this.runningKinds.set(job.id, job.kind);
    let snapshot = job;
    this.throttle.flush(job.id, snapshot);
    const report = (p: JobProgress) => {
      if (controller.signal.aborted) return;
      snapshot = { ...snapshot, done: p.done, total: p.total ?? snapshot.total, message: p.message ?? snapshot.message, updatedAt: new Date().toISOString() };
      this.lastTotals.set(job.id, snapshot.total);
      this.throttle.push(job.id, snapshot);
    };
    const stored = store.params(job.id);
    Promise.resolve()
      .then(() => {
        // Paused or cancelled between being taken and starting: the body never sees a signal that already fired.
        controller.signal.throwIfAborted();
        if (!body) throw new ApiError('INTERNAL', `no runner for job kind ${job.kind}`);
        const schema = this.options.params?.[job.kind];
        const checked = schema ? schema.safeParse(stored) : { success: true as const, data: stored };
        if (!checked.success) {
          const issue = checked.error.issues[0];
          throw new ApiError(
            'VALIDATION_ERROR',
            `job ${job.id} (${job.kind}) has parameters this version cannot run (${issue?.path.join('.') || 'params'}: ${issue?.message}); start it again from the app or vc2m`,
          );
        }
        return body(checked.data, { jobId: job.id, signal: controller.signal, report });
      })
      .then(
        (outcome) => this.finish(job.id, generation, controller, outcome),
        (error: unknown) => this.fail(job.id, generation, controller, error),
      );
  }

  private finish(id: number, generation: number, controller: AbortController, outcome: JobOutcome): void {
    this.running.delete(id);
    this.runningKinds.delete(id);
    if (generation !== this.generation || !this.store) {
      this.released(id);
      return;
    }
    if (controller.signal.aborted) {
      this.settleInterrupted(id, controller.signal);
    } else if (outcome.status === 'finished') {
      const total = this.lastTotals.get(id) ?? null;
      this.settle(id, 'finished', outcome.message === undefined ? { total } : { message: outcome.message, total });
    } else {
      const attempts = this.store.get(id)?.attempts ?? 1;
      const retryLimited = outcome.status === 'retry' && attempts >= (this.options.maxAttempts ?? 5);
      if (retryLimited) this.settle(id, 'failed', { message: outcome.message ?? 'gave up after repeated failures', errorCode: 'RETRIES_EXHAUSTED' });
      else {
        const pauseMs = outcome.status === 'rate-limited' ? outcome.pauseMs : backoffMs(attempts, JOB_BACKOFF);
        this.settle(id, 'queued', { message: outcome.message ?? `retrying in ${Math.round(pauseMs / 1000)} s`, retryAfter: Date.now() + pauseMs });
      }
    }
    this.pump();
  }

  private fail(id: number, generation: number, controller: AbortController, error: unknown): void {
    this.running.delete(id);
    this.runningKinds.delete(id);
    if (generation !== this.generation || !this.store) {
      this.released(id);
      return;
    }
    if (controller.signal.aborted) this.settleInterrupted(id, controller.signal);
    else {
      const code = error instanceof ApiError ? error.code : 'INTERNAL';
      this.settle(id, 'failed', { message: error instanceof Error ? error.message : String(error), errorCode: code });
    }
    this.pump();
  }

  private settleInterrupted(id: number, signal: AbortSignal): void {
    const kind = interruptOf(signal);
    if (kind === 'pause') this.settle(id, 'paused', { message: 'paused: resume to carry on from where it stopped' });
    else this.settle(id, 'cancelled', { message: 'cancelled' });
  }

  /** A job aborted because its library was closed goes back to the queue, for the next process that opens it. */
  private released(id: number): void {
    this.lastTotals.delete(id);
    this.throttle.forget(id);
    const waiting = this.waiters.get(id);
    this.waiters.delete(id);
    try {
      this.store?.release(id, this.owner);
    } catch {
      // The library is closing; detach hands back whatever is left.
    }
    const snapshot = this.store?.get(id);
    if (snapshot) for (const w of waiting ?? []) w({ ...snapshot, state: 'queued' });
  }

  private settle(id: number, state: JobState, fields: { message?: string; errorCode?: string; retryAfter?: number; total?: number | null }): JobSnapshot {
    this.lastTotals.delete(id);
    const snapshot = this.requireStore().settle(id, state, fields);
    this.throttle.forget(id);
    this.options.emit(snapshot);
    this.notify(id, snapshot);
    return snapshot;
  }

  private notify(id: number, snapshot: JobSnapshot): void {
    const waiting = this.waiters.get(id);
    this.waiters.delete(id);
    for (const w of waiting ?? []) w(snapshot);
  }
}
