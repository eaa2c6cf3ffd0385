import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { Engine } from './engine';
import { ENGINE_CONFIG_ENV } from './engine-port';
import type { HostToWorker, SecretOp, WorkerConfig, WorkerToHost } from './protocol';
import { RemoteSecretStore } from './remote-secret-store';

// The engine's thread: it owns SQLite and the jobs, so nothing here can stall the window or the web host. The
// same entry runs as a child process when the host's own Node cannot load the native module (the Electron shell,
// engine-runtime.ts): then messages come over the IPC channel and the configuration from the environment.
interface Channel {
  post(message: WorkerToHost): void;
  on(listener: (message: HostToWorker) => void): void;
  close(): void;
}

function openChannel(): { channel: Channel; config: WorkerConfig } {
  const port = parentPort;
  if (port) {
    return {
      channel: { post: (m) => port.postMessage(m), on: (l) => port.on('message', l), close: () => port.close() },
      config: workerData as WorkerConfig,
    };
  }
  const send = process.send?.bind(process);
  const raw = process.env[ENGINE_CONFIG_ENV];
  if (!send || !raw) throw new Error('the engine runs in a worker thread, or as a child process started by the app (engine-port.ts)');
  // The host went away (the window's process crashed or was killed): close the library cleanly and go too. What
  // the engine says meanwhile (job events as jobs stop) has nowhere to go and is dropped, never thrown.
  let leaving = false;
  process.on('disconnect', () => {
    if (leaving) return;
    leaving = true;
    void engine.close().finally(() => process.exit(0));
  });
  process.on('error', (error) => console.error(`[engine] channel to the app: ${error.message}`));
  return {
    channel: {
      post: (m) => {
        if (process.connected) send(m, undefined, undefined, (error) => error && console.error(`[engine] lost a message to the app: ${error.message}`));
      },
      on: (l) => process.on('message', l),
      close: () => {
        leaving = true;
        if (process.connected) process.disconnect();
      },
    },
    config: JSON.parse(raw) as WorkerConfig,
  };
}

// The native module loads lazily, at the first database: load it now, so that a build for another Node's ABI fails
// the start with its reason (EngineStartError) instead of every library call afterwards.
new Database(':memory:').close();

const { channel, config } = openChannel();
const post = (message: WorkerToHost) => channel.post(message);

let hostSeq = 0;
const hostPending = new Map<number, { resolve: (v: string | null) => void; reject: (e: Error) => void }>();
const hostCall = (op: SecretOp, value?: string) =>
  new Promise<string | null>((resolve, reject) => {
    const seq = ++hostSeq;
    hostPending.set(seq, { resolve, reject });
    post(value === undefined ? { type: 'host-call', seq, op } : { type: 'host-call', seq, op, value });
  });

const engine = new Engine({
  configDir: config.configDir,
  host: config.host,
  version: config.version,
  bundleDir: dirname(fileURLToPath(import.meta.url)),
  secrets: new RemoteSecretStore(config.secretStorage, hostCall),
  emit: (name, payload) => post({ type: 'event', name, payload }),
});

channel.on((message: HostToWorker) => {
  switch (message.type) {
    case 'call':
      engine.call(message.method, message.args).then((result) => post({ type: 'reply', seq: message.seq, result }));
      return;
    case 'host-reply': {
      const pending = hostPending.get(message.seq);
      hostPending.delete(message.seq);
      if (message.ok) pending?.resolve(message.value);
      else pending?.reject(new Error(message.message));
      return;
    }
    case 'shutdown':
      engine.close().finally(() => {
        post({ type: 'closed' });
        channel.close();
      });
      return;
  }
});

engine.start().finally(() => post({ type: 'ready' }));
