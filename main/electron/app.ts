import { mkdirSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, net, protocol, session, shell } from 'electron';
import { EngineClient } from '../engine/client';
import { chooseEngineRuntime } from '../engine/engine-runtime';
import { STARTUP_FAILED_CODE, STARTUP_FAILED_PREFIX, StartupError, unpackedPath, WINDOW_READY_LINE } from '../lib/desktop-start';
import { defaultConfigDir } from '../lib/paths';
import { APP_VERSION } from '../lib/version';
import { registerDesktop } from './desktop-ipc';
import { registerReveal } from './desktop-reveal';
import { forwardEvents, registerApi } from './ipc';
import { clipSourceResponse, isClipSourceUrl, MEDIA_SCHEME, mediaSchemeResponse } from './media-protocol';
import { createSecretStore } from './secrets';
import { APP_CSP, APP_SCHEME, isAppUrl, rendererFileFor } from './security';
import { createMainWindow } from './window';

const here = dirname(fileURLToPath(import.meta.url));
const rendererDir = join(here, '..', 'renderer');

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  // stream: the player reads media as it plays and seeks with Range (media-protocol.ts).
  { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);

if (!app.requestSingleInstanceLock()) app.quit();

let engine: EngineClient | null = null;

async function main(): Promise<void> {
  await app.whenReady();
  // No remote content and no permissions: the app asks for none, so any request is refused.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  protocol.handle(APP_SCHEME, async (request) => {
    if (isClipSourceUrl(request.url) && isAppUrl(request.url))
      return engine ? clipSourceResponse(engine, request) : new Response('the engine is not running', { status: 503 });
    const file = rendererFileFor(request.url, rendererDir, join, sep);
    if (!file) return new Response('not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', APP_CSP);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });

  const configDir = defaultConfigDir();
  mkdirSync(configDir, { recursive: true, mode: 0o700 });
  const runtime = chooseEngineRuntime({
    electron: process.versions.electron,
    packaged: app.isPackaged,
    resourcesPath: process.resourcesPath,
    appDir: app.getAppPath(),
    env: process.env,
    platform: process.platform,
  });
  if (runtime.kind === 'unavailable') throw new StartupError(`the engine cannot start: ${runtime.reason}`);
  engine = await EngineClient.start({
    // A plain Node cannot read inside app.asar: the engine and its packages are unpacked beside it (electron-builder.yml).
    workerPath: unpackedPath(join(here, 'engine-worker.js')),
    configDir,
    host: 'electron',
    version: APP_VERSION,
    secrets: createSecretStore(configDir),
    ...(runtime.kind === 'process' ? { node: runtime.node } : {}),
  }).catch((error: unknown) => {
    throw new StartupError(`the engine cannot start: ${(error as Error).message}`);
  });
  registerApi(ipcMain, engine, isAppUrl);
  const media = engine;
  protocol.handle(MEDIA_SCHEME, (request) => mediaSchemeResponse(media, request));
  // The picker is modal to the window that asked (the focused one).
  registerDesktop(
    ipcMain,
    (options) => {
      const parent = BrowserWindow.getFocusedWindow();
      return parent ? dialog.showOpenDialog(parent, options) : dialog.showOpenDialog(options);
    },
    isAppUrl,
  );
  registerReveal(ipcMain, engine, (path) => shell.showItemInFolder(path), isAppUrl);
  forwardEvents(engine, (channel, payload) => {
    for (const window of BrowserWindow.getAllWindows()) window.webContents.send(channel, payload);
  });

  const preload = join(here, '..', 'preload', 'index.cjs');
  let window = createMainWindow(preload);
  // `npm start` (start.ts) waits for this line: an Electron that exits before it falls back to the web host.
  window.once('ready-to-show', () => console.log(WINDOW_READY_LINE));
  app.on('second-instance', () => {
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) window = createMainWindow(preload);
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

let quitting = false;
app.on('before-quit', (event) => {
  if (quitting || !engine) return;
  // Let the engine close the library cleanly (jobs paused, WAL checkpointed) before the process goes.
  event.preventDefault();
  quitting = true;
  void engine.close().finally(() => app.quit());
});

main().catch((error: unknown) => {
  // One line a user can act on (start.ts repeats it when it falls back to the web host); a stack only for bugs.
  if (error instanceof StartupError) console.error(`${STARTUP_FAILED_PREFIX}${error.message}`);
  else console.error(`${STARTUP_FAILED_PREFIX}${(error as Error).message}`, error);
  app.exit(STARTUP_FAILED_CODE);
});
