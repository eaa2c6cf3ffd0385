import type { BrowserWindowConstructorOptions } from 'electron';

// Pure policy, no runtime import of 'electron': the options and URL rules are unit-tested in plain Node.

export const APP_SCHEME = 'vc2-app';
export const APP_ORIGIN = `${APP_SCHEME}://app`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** The same policy the renderer's index.html carries as a <meta>, sent as a header by the protocol handler too. */
export const APP_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob: vc2-media:; media-src 'self' blob: vc2-media:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'VC2 Media Manager',
    backgroundColor: '#f6f7f9',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}

/** True only for pages of the app itself; every window load and navigation goes through this. */
export function isAppUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === `${APP_SCHEME}:` && url.host === 'app';
  } catch {
    return false;
  }
}

/** A link the user may open in their browser: https only, no credentials. Anything else is dropped. */
export function externalUrlToOpen(raw: string): string | null {
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' && url.username === '' && url.password === '' ? url.toString() : null;
  } catch {
    return null;
  }
}

/** Maps an app URL to a file below the renderer folder, or null when the path would leave it. */
export function rendererFileFor(raw: string, rendererDir: string, join: (...p: string[]) => string, sep: string): string | null {
  if (!isAppUrl(raw)) return null;
  const pathname = decodeURIComponent(new URL(raw).pathname);
  if (pathname.includes('\0') || pathname.split('/').includes('..')) return null;
  const file = join(rendererDir, pathname === '/' ? 'index.html' : pathname);
  return file.startsWith(rendererDir + sep) ? file : null;
}
