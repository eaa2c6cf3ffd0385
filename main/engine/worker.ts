import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { Engine } from './engine';
import type { HostToWorker, SecretOp, WorkerConfig, WorkerToHost } from './protocol';
import { RemoteSecretStore } from './remote-secret-store';

// The engine's thread: it owns SQLite and the jobs, so nothing here can stall the window or the web host.
const port = parentPort;
if (!port) throw new Error('engine worker must run in a worker thread');
const config = workerData as WorkerConfig;
const post = (message: WorkerToHost) => port.postMessage(message);

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

port.on('message', (message: HostToWorker) => {
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
        port.close();
      });
      return;
  }
});

engine.start().finally(() => post({ type: 'ready' }));
