import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { EngineClient } from '../engine/client';
import { defaultConfigDir } from '../lib/paths';
import { APP_VERSION } from '../lib/version';
import { FileSecretStore } from '../services/settings/file-secret-store';
import { startWebHost, WebHostError } from './server';

const DEFAULT_PORT = 8710;
const here = dirname(fileURLToPath(import.meta.url));

const USAGE = `usage: npm run serve -- [--host <address>] [--port <n>]
  --host <address>  listen on this address instead of 127.0.0.1 (anyone with the URL and token can then connect)
  --port <n>        port to listen on (default ${DEFAULT_PORT}; 0 = any free port)
environment: VC2M_CONFIG_DIR (settings folder), VC2M_PORT, HF_TOKEN, HF_ENDPOINT`;

/** `npm run serve`: the engine and the UI for a browser, e.g. on a server reached through an SSH tunnel. */
export async function serveMain(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { host: { type: 'string' }, port: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const host = values.host ?? env.VC2M_HOST ?? '127.0.0.1';
  const port = Number(values.port ?? env.VC2M_PORT ?? DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new WebHostError(`--port must be a number from 0 to 65535, got ${values.port ?? env.VC2M_PORT}`);

  const configDir = defaultConfigDir(env);
  mkdirSync(configDir, { recursive: true, mode: 0o700 });
  const engine = await EngineClient.start({
    workerPath: join(here, 'engine-worker.js'),
    configDir,
    host: 'web',
    version: APP_VERSION,
    secrets: new FileSecretStore(configDir),
  });
  let web: Awaited<ReturnType<typeof startWebHost>>;
  try {
    web = await startWebHost({
      engine,
      rendererDir: join(here, '..', 'renderer'),
      host,
      port,
      allowNonLoopback: values.host !== undefined,
    });
  } catch (error) {
    await engine.close();
    throw error;
  }
  console.log(`VC2 Media Manager web host: ${web.url}`);
  console.log(`  from another machine: ssh -N -L ${web.port}:127.0.0.1:${web.port} <user>@<this-machine>, then open the URL above there.`);
  console.log(`  settings in ${configDir}; stop with Ctrl+C.`);

  const stop = async () => {
    await web.close();
    await engine.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}
