import { parentPort, type Transferable, Worker, type WorkerOptions } from 'node:worker_threads';
import { ApiError, type ApiErrorShape, type ErrorCode } from '../../shared/api/errors';

/**
 * One typed protocol for every worker thread of the engine (#11 item 9): named tasks with an input, an output and
 * events on the way (progress, or a stream of batches with backpressure), cancellable, their errors arriving as the
 * errors they were (an ApiError keeps its code). A worker file declares its tasks with `serveTasks`; the engine
 * calls them through a `TaskWorker`. The task map is the contract both sides are checked against.
 */
export interface TaskSpec<I, O, E = never> {
  input: I;
  output: O;
  event: E;
}
// biome-ignore lint/suspicious/noExplicitAny: a map of heterogeneous specs; each entry is checked where it is used.
export type TaskMap = Record<string, TaskSpec<any, any, any>>;

export interface TaskContext<E> {
  signal: AbortSignal;
  /**
   * Sends an event to the caller. With a window (a stream), resolves once fewer than `window` events are waiting
   * for the caller, so a fast worker never runs far ahead of its reader; otherwise at once.
   */
  emit(event: E, transfer?: readonly Transferable[]): Promise<void>;
}

export type TaskHandlers<T extends TaskMap> = {
  [K in keyof T]: (input: T[K]['input'], context: TaskContext<T[K]['event']>) => Promise<T[K]['output']>;
};

type ToWorker =
  | { t: 'run'; id: number; name: string; input: unknown; window: number | null }
  | { t: 'ack'; id: number }
  | { t: 'abort'; id: number }
  | { t: 'close' };

interface SerializedError {
  name: string;
  message: string;
  code?: ErrorCode;
  issues?: ApiErrorShape['issues'];
  /** The HTTP status some failures carry (downloads). */
  status?: number | null;
}

type FromWorker = { t: 'event'; id: number; event: unknown } | { t: 'done'; id: number; output: unknown } | { t: 'error'; id: number; error: SerializedError };

function serialize(error: unknown): SerializedError {
  const e = error instanceof Error ? error : new Error(String(error));
  const out: SerializedError = { name: e.name, message: e.message };
  if (e instanceof ApiError) {
    out.code = e.code;
    if (e.issues) out.issues = e.issues;
  }
  const status = (e as { status?: unknown }).status;
  if (typeof status === 'number' || status === null) out.status = status;
  return out;
}

function revive(error: SerializedError): Error {
  const revived = error.code ? new ApiError(error.code, error.message, error.issues) : Object.assign(new Error(error.message), { name: error.name });
  return error.status === undefined ? revived : Object.assign(revived, { status: error.status });
}

/** In a worker file: serves its tasks until the engine closes it. */
export function serveTasks<T extends TaskMap>(handlers: TaskHandlers<T>): void {
  const port = parentPort;
  if (!port) throw new Error('serveTasks must run in a worker thread');
  const running = new Map<number, { controller: AbortController; unacked: number; wake: (() => void) | null; window: number | null }>();
  const post = (message: FromWorker, transfer?: readonly Transferable[]) => port.postMessage(message, transfer as Transferable[] | undefined);
  port.on('message', (message: ToWorker) => {
    if (message.t === 'close') {
      for (const task of running.values()) task.controller.abort(new Error('the worker is closing'));
      port.close();
      return;
    }
    const task = running.get(message.id);
    if (message.t === 'abort') {
      task?.controller.abort(new Error('cancelled'));
      task?.wake?.();
      return;
    }
    if (message.t === 'ack') {
      if (!task) return;
      task.unacked--;
      if (task.window !== null && task.unacked < task.window && task.wake) {
        const wake = task.wake;
        task.wake = null;
        wake();
      }
      return;
    }
    const handler = (handlers as Record<string, TaskHandlers<T>[keyof T]>)[message.name];
    const state = { controller: new AbortController(), unacked: 0, wake: null as (() => void) | null, window: message.window };
    running.set(message.id, state);
    const context: TaskContext<unknown> = {
      signal: state.controller.signal,
      async emit(event, transfer) {
        state.controller.signal.throwIfAborted();
        post({ t: 'event', id: message.id, event }, transfer);
        state.unacked++;
        if (state.window !== null && state.unacked >= state.window) await new Promise<void>((resolve) => (state.wake = resolve));
        state.controller.signal.throwIfAborted();
      },
    };
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`this worker has no task "${message.name}"`);
        return handler(message.input, context as TaskContext<never>);
      })
      .then(
        (output) => post({ t: 'done', id: message.id, output }),
        (error: unknown) => post({ t: 'error', id: message.id, error: serialize(error) }),
      )
      .finally(() => running.delete(message.id));
  });
}

interface Pending {
  onMessage: (message: FromWorker) => void;
  fail: (error: Error) => void;
  queue: readonly FromWorker[];
}

/** The engine's side of a worker thread serving `serveTasks`. */
export class TaskWorker<T extends TaskMap> {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private exited: Error | null = null;

  constructor(file: string, options?: WorkerOptions) {
    this.worker = new Worker(file, options);
    this.worker.on('message', (message: FromWorker) => this.pending.get(message.id)?.onMessage(message));
    // An 'error' event comes first when the thread threw: that says why; the exit code does not.
    this.worker.on('error', (error) => {
      this.exited ??= error;
    });
    this.worker.on('exit', (code) => {
      this.exited ??= new Error(`the worker stopped (exit code ${code})`);
      for (const p of this.pending.values()) p.fail(this.exited);
      this.pending.clear();
    });
  }

  /** Events the worker has sent that their callers have not taken yet (a stream's look-ahead). */
  get waitingEvents(): number {
    let n = 0;
    for (const p of this.pending.values()) n += p.queue.filter((m) => m.t === 'event').length;
    return n;
  }

  /** False once the thread has stopped (crashed, terminated or closed): start a new one. */
  get usable(): boolean {
    return this.exited === null;
  }

  /** Runs a task to its end; `onEvent` sees each event (progress) as it comes. */
  async run<K extends keyof T & string>(
    name: K,
    input: T[K]['input'],
    options: { signal?: AbortSignal; onEvent?: (event: T[K]['event']) => void } = {},
  ): Promise<T[K]['output']> {
    const stream = this.stream(name, input, { ...options, window: null });
    for (let step = await stream.next(); ; step = await stream.next()) {
      if (step.done) return step.value;
      options.onEvent?.(step.value);
    }
  }

  /**
   * Runs a task whose events are a stream: each is taken by the caller in turn, and the worker is held at most
   * `window` events ahead. A cancel wins over events already here: none is handed out after it.
   */
  async *stream<K extends keyof T & string>(
    name: K,
    input: T[K]['input'],
    options: { signal?: AbortSignal; window?: number | null } = {},
  ): AsyncGenerator<T[K]['event'], T[K]['output']> {
    if (this.exited) throw this.exited;
    const { signal } = options;
    signal?.throwIfAborted();
    const id = this.nextId++;
    const queue: FromWorker[] = [];
    let failure: Error | null = null;
    let wake: (() => void) | null = null;
    const notify = () => {
      const w = wake;
      wake = null;
      w?.();
    };
    this.pending.set(id, {
      onMessage: (message) => {
        queue.push(message);
        notify();
      },
      fail: (error) => {
        failure ??= error;
        notify();
      },
      queue,
    });
    let aborted = false;
    const onAbort = () => {
      aborted = true;
      this.send({ t: 'abort', id });
      notify();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    let settled = false;
    try {
      this.send({ t: 'run', id, name, input, window: options.window ?? null });
      for (;;) {
        if (failure) throw failure;
        const message = queue.shift();
        if (!message) {
          await new Promise<void>((resolve) => (wake = resolve));
          continue;
        }
        // Once cancelled, events still queued are dropped; the worker's own end (done or error) is awaited so that
        // whatever it had open is closed before the caller goes on, then the caller's reason is what is thrown.
        if (message.t === 'event') {
          if (aborted) continue;
          yield message.event as T[K]['event'];
          if (options.window !== null && options.window !== undefined) this.send({ t: 'ack', id });
          continue;
        }
        settled = true;
        if (aborted) throw signal?.reason ?? new Error('cancelled');
        if (message.t === 'error') throw revive(message.error);
        return message.output as T[K]['output'];
      }
    } finally {
      this.pending.delete(id);
      signal?.removeEventListener('abort', onAbort);
      // Left part-way by the caller (it stopped reading): the task is told to stop.
      if (!settled && !this.exited) this.send({ t: 'abort', id });
    }
  }

  private send(message: ToWorker): void {
    if (!this.exited) this.worker.postMessage(message);
  }

  /** Stops the thread at once (a task stuck mid-way); pending tasks fail. */
  terminate(): void {
    this.exited ??= new Error('the worker was stopped');
    void this.worker.terminate();
  }

  /** Lets the worker stop cleanly; one that does not stop in time is terminated. */
  async close(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.send({ t: 'close' });
    const timer = setTimeout(() => void this.worker.terminate(), 5000);
    await exited;
    clearTimeout(timer);
  }
}
