import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import sirv from 'sirv';

/**
 * Sent with the page as a header too, because frame-ancestors has no effect in a <meta> policy, and with every asset:
 * a worker (ffmpeg.wasm's) runs under the policy its own script arrives with. `'wasm-unsafe-eval'` is what compiling
 * ffmpeg.wasm's core needs, and all it allows (no eval of JavaScript).
 */
export const WEB_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob: vc2-media:; media-src 'self' blob: vc2-media:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/** Serves the built renderer; index.html gets the token as a meta tag so the page can authenticate its API calls. */
export function createStaticHandler(rendererDir: string, token: string) {
  const assets = sirv(rendererDir, {
    etag: true,
    dev: false,
    setHeaders: (res) => {
      for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
      res.setHeader('Content-Security-Policy', WEB_CSP);
    },
  });
  let indexHtml: string | null = null;

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://host').pathname;
    if (path === '/' || path === '/index.html') {
      indexHtml ??= (await readFile(join(rendererDir, 'index.html'), 'utf8')).replace('</head>', `<meta name="vc2-token" content="${token}"></head>`);
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': WEB_CSP,
        'Cache-Control': 'no-store',
      });
      res.end(indexHtml);
      return;
    }
    assets(req, res, () => {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`not found: ${path}\n`);
    });
  };
}
