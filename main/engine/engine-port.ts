import { fork } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import type { HostToWorker, WorkerConfig, WorkerToHost } from './protocol';

/** The engine's end as its host sees it: a worker thread, or a child process on another Node (engine-runtime.ts). */
export interface EnginePort {
  post(message: HostToWorker): void;
  onMessage(listener: (message: WorkerToHost) => void): void;
  offMessage(listener: (message: WorkerToHost) => void): void;
  /** Once, when the engine has gone; `detail` is the end of what it wrote to stderr, when it had its own process. */
  onExit(listener: (code: number | null, detail: string) => void): void;
  kill(): void;
}

/** Set in the child's environment: the engine reads its configuration from here (worker.ts). */
export const ENGINE_CONFIG_ENV = 'VC2M_ENGINE_CONFIG';

export function threadPort(workerPath: string, config: WorkerConfig): EnginePort {
  const worker = new Worker(workerPath, { workerData: config });
  worker.on('error', (error) => console.error('[engine] worker error:', error));
  return {
    post: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.on('message', listener),
    offMessage: (listener) => worker.off('message', listener),
    onExit: (listener) => worker.once('exit', (code) => listener(code, '')),
    kill: () => void worker.terminate(),
  };
}

/** How much of the child's stderr is kept to explain an exit (a failed native module load is a few lines). */
const STDERR_TAIL = 4000;

export function processPort(node: string, workerPath: string, config: WorkerConfig): EnginePort {
  // 'advanced' serialization is the structured clone a worker thread's messages use: the protocol is unchanged.
  const child = fork(workerPath, [], {
    execPath: node,
    execArgv: [],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    env: { ...process.env, [ENGINE_CONFIG_ENV]: JSON.stringify(config) },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk);
    stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL);
  });
  let exited = false;
  const exitListeners: Array<(code: number | null, detail: string) => void> = [];
  const finish = (code: number | null) => {
    if (exited) return;
    exited = true;
    for (const listener of exitListeners) listener(code, stderr.trim());
  };
  child.on('exit', (code, signal) => finish(code ?? (signal ? 128 : null)));
  child.on('error', (error) => {
    stderr += `\n${error.message}`;
    finish(null);
  });
  return {
    post: (message) => {
      if (!exited && child.connected) child.send(message);
    },
    onMessage: (listener) => child.on('message', listener as (message: unknown) => void),
    offMessage: (listener) => child.off('message', listener as (message: unknown) => void),
    onExit: (listener) => {
      if (exited) listener(child.exitCode, stderr.trim());
      else exitListeners.push(listener);
    },
    kill: () => void child.kill('SIGKILL'),
  };
}
