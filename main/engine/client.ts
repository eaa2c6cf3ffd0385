import type { ApiResult } from '../../shared/api/errors';
import { explainStartFailure } from '../lib/native-module-error';
import type { SecretStore } from '../services/settings/secret-store';
import type { EngineLike } from './engine-like';
import { type EnginePort, processPort, threadPort } from './engine-port';
import type { HostToWorker, SecretOp, WorkerConfig, WorkerToHost } from './protocol';
import { validateCall } from './validate';

export interface EngineClientOptions {
  /** The bundled worker entry (dist/main/engine-worker.js). */
  workerPath: string;
  configDir: string;
  host: WorkerConfig['host'];
  version: string;
  secrets: SecretStore;
  /** Calls slower than this are logged, so a stall is visible before users report it. */
  slowCallMs?: number;
  /**
   * Run the engine as a child process on this Node instead of a worker thread of this process: the Electron shell,
   * whose own Node cannot load the native module built for the CLI's (engine-runtime.ts).
   */
  node?: string;
}

/** The engine could not start; `detail` is what its process wrote to stderr (a native module that would not load). */
export class EngineStartError extends Error {
  constructor(
    message: string,
    readonly detail: string,
  ) {
    super(message);
    this.name = 'EngineStartError';
  }
}

export type EngineEventListener = (name: string, payload: unknown) => void;

const unavailable = (message: string): ApiResult<never> => ({ ok: false, error: { code: 'ENGINE_UNAVAILABLE', message } });

/** The host side of the engine worker: a seq → pending map for calls, a fan-out for events, and the secret store. */
export class EngineClient implements EngineLike {
  private seq = 0;
  private readonly pending = new Map<number, { method: string; started: number; resolve: (r: ApiResult<unknown>) => void }>();
  private readonly listeners = new Set<EngineEventListener>();
  private exited: string | null = null;
  private closing: Promise<void> | null = null;
  private readonly exitListeners: Array<() => void> = [];

  private constructor(
    private readonly port: EnginePort,
    private readonly options: EngineClientOptions,
  ) {
    port.onMessage((message: WorkerToHost) => this.receive(message));
    port.onExit((code) => {
      this.exited = `the engine stopped (exit code ${code}); restart the app`;
      for (const { resolve } of this.pending.values()) resolve(unavailable(this.exited));
      this.pending.clear();
      for (const listener of this.exitListeners) listener();
    });
  }

  /** Starts the engine and resolves once it has reopened the last library and is ready for calls. */
  static start(options: EngineClientOptions): Promise<EngineClient> {
    const config: WorkerConfig = {
      configDir: options.configDir,
      host: options.host,
      version: options.version,
      secretStorage: options.secrets.storage,
    };
    const port = options.node ? processPort(options.node, options.workerPath, config) : threadPort(options.workerPath, config);
    const client = new EngineClient(port, options);
    return new Promise((resolve, reject) => {
      let started = false;
      const onReady = (message: WorkerToHost) => {
        if (message.type !== 'ready') return;
        started = true;
        port.offMessage(onReady);
        resolve(client);
      };
      port.onMessage(onReady);
      port.onExit((code, detail) => {
        if (started) return;
        const where = options.node ? ` on ${options.node}` : '';
        reject(new EngineStartError(`the engine exited during start-up${where} (code ${code})${detail ? `: ${explainStartFailure(detail)}` : ''}`, detail));
      });
    });
  }

  /** Validates one request against the contract here, in the host, and relays only a valid one to the worker. */
  call(method: string, raw: unknown): Promise<ApiResult<unknown>> {
    const validated = validateCall(method, raw);
    if (!validated.ok) return Promise.resolve(validated);
    if (this.exited) return Promise.resolve(unavailable(this.exited));
    const args = validated.args;
    const seq = ++this.seq;
    return new Promise((resolve) => {
      this.pending.set(seq, { method, started: performance.now(), resolve });
      this.send({ type: 'call', seq, method, args });
    });
  }

  onEvent(listener: EngineEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      if (this.exited) return resolve();
      const timer = setTimeout(() => this.port.kill(), 10_000);
      this.exitListeners.push(() => {
        clearTimeout(timer);
        resolve();
      });
      this.send({ type: 'shutdown' });
    });
    return this.closing;
  }

  private send(message: HostToWorker): void {
    this.port.post(message);
  }

  private receive(message: WorkerToHost): void {
    switch (message.type) {
      case 'reply': {
        const pending = this.pending.get(message.seq);
        if (!pending) return;
        this.pending.delete(message.seq);
        const elapsed = performance.now() - pending.started;
        if (elapsed > (this.options.slowCallMs ?? 40)) console.warn(`[engine] slow call ${pending.method}: ${elapsed.toFixed(0)} ms`);
        pending.resolve(message.result);
        return;
      }
      case 'event':
        for (const listener of this.listeners) listener(message.name, message.payload);
        return;
      case 'host-call':
        void this.answerHostCall(message.seq, message.op, message.value);
        return;
      case 'ready':
      case 'closed':
        return;
    }
  }

  private async answerHostCall(seq: number, op: SecretOp, value: string | undefined): Promise<void> {
    const { secrets } = this.options;
    try {
      let result: string | null = null;
      if (op === 'secret.read') result = await secrets.read();
      else if (op === 'secret.write') await secrets.write(value ?? '');
      else await secrets.clear();
      this.send({ type: 'host-reply', seq, ok: true, value: result });
    } catch (error) {
      this.send({ type: 'host-reply', seq, ok: false, message: (error as Error).message });
    }
  }
}
