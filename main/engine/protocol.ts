import type { ApiResult } from '../../shared/api/errors';
import type { AppInfo } from '../../shared/api/models';

/** Messages between the host (Electron main or web host) and the engine worker. */
export type HostToWorker =
  | { type: 'call'; seq: number; method: string; args: unknown }
  | { type: 'host-reply'; seq: number; ok: true; value: string | null }
  | { type: 'host-reply'; seq: number; ok: false; message: string }
  | { type: 'shutdown' };

export type WorkerToHost =
  | { type: 'ready' }
  | { type: 'reply'; seq: number; result: ApiResult<unknown> }
  | { type: 'event'; name: string; payload: unknown }
  | { type: 'host-call'; seq: number; op: SecretOp; value?: string }
  | { type: 'closed' };

/** The only things the worker asks its host for: the secret store lives where safeStorage is. */
export type SecretOp = 'secret.read' | 'secret.write' | 'secret.clear';

export interface WorkerConfig {
  configDir: string;
  host: AppInfo['host'];
  version: string;
  secretStorage: string;
}
