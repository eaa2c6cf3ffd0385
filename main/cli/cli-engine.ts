import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MethodArgs, MethodName, MethodResult } from '../../shared/api/contract';
import { ApiError } from '../../shared/api/errors';
import type { JobSnapshot } from '../../shared/api/models';
import { Engine } from '../engine/engine';
import { defaultConfigDir } from '../lib/paths';
import { APP_VERSION } from '../lib/version';
import { FileSecretStore } from '../services/settings/file-secret-store';
import type { ProgressPrinter } from './progress-printer';

/** The app's engine, in this process: the CLI has no UI to keep responsive, and heavy steps still run in workers. */
export function createCliEngine(env: NodeJS.ProcessEnv = process.env): Engine {
  const configDir = defaultConfigDir(env);
  mkdirSync(configDir, { recursive: true, mode: 0o700 });
  const listeners = new Set<(job: JobSnapshot) => void>();
  const engine = new Engine({
    configDir,
    host: 'cli',
    version: APP_VERSION,
    env,
    bundleDir: dirname(fileURLToPath(import.meta.url)),
    secrets: new FileSecretStore(configDir),
    emit: (event, payload) => {
      if (event === 'job.progress') for (const l of listeners) l(payload as JobSnapshot);
    },
  });
  jobListeners.set(engine, listeners);
  return engine;
}

const jobListeners = new WeakMap<Engine, Set<(job: JobSnapshot) => void>>();

/** Opens `--library`, else VC2M_LIBRARY, else the library the app had open last. */
export async function openCliLibrary(engine: Engine, explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const given = explicit ?? env.VC2M_LIBRARY;
  const path = given ? resolve(given) : engine.settings.lastLibrary();
  if (!path) throw new ApiError('LIBRARY_NOT_OPEN', 'no library given: pass --library <dir> or set VC2M_LIBRARY (create one with: vc2m init <dir>)');
  await callEngine(engine, 'library.open', { path });
}

/**
 * A call through the contract, as the app and the web host make them: the arguments are checked by the method's
 * schema before anything runs, and a refusal is thrown as the ApiError it carries.
 */
export async function callEngine<M extends MethodName>(engine: Engine, method: M, args: MethodArgs<M>): Promise<MethodResult<M>> {
  const result = await engine.call(method, args);
  if (!result.ok) throw ApiError.fromShape(result.error);
  return result.value as MethodResult<M>;
}

/** Waits for a job, drawing its progress; Ctrl+C cancels it and the library keeps everything finished so far. */
export async function followJob(engine: Engine, job: JobSnapshot, printer: ProgressPrinter): Promise<JobSnapshot> {
  const listeners = jobListeners.get(engine);
  const onJob = (snapshot: JobSnapshot) => {
    if (snapshot.id === job.id) printer.update(snapshot);
  };
  listeners?.add(onJob);
  const onSigint = () => void callEngine(engine, 'jobs.cancel', { ids: [job.id] });
  process.once('SIGINT', onSigint);
  try {
    return await engine.jobs.waitForJob(job.id);
  } finally {
    process.off('SIGINT', onSigint);
    listeners?.delete(onJob);
    printer.done();
  }
}
