import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { ErrorCode } from '../../shared/api/errors';
import type { EngineLike } from '../engine/engine-like';
import { bearerToken, cookieName, cookieToken, isLoopbackHost, newToken, tokensMatch } from './auth';
import { createStaticHandler, SECURITY_HEADERS } from './static';

export interface WebHostOptions {
  engine: EngineLike;
  rendererDir: string;
  host?: string;
  port?: number;
  /** Only an explicit `--host` from the user sets this: a network-reachable engine is never a default. */
  allowNonLoopback?: boolean;
  token?: string;
}

export interface WebHost {
  url: string;
  origin: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

export class WebHostError extends Error {
  override readonly name = 'WebHostError';
}

const MAX_BODY_BYTES = 1024 * 1024;

const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  VALIDATION_ERROR: 400,
  UNKNOWN_METHOD: 404,
  ENGINE_UNAVAILABLE: 503,
  INTERNAL: 500,
};

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

function unauthorized(res: ServerResponse): void {
  res.writeHead(401, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'WWW-Authenticate': 'Bearer' });
  res.end('401: missing or wrong token. Open the URL the host printed when it started (it contains ?token=…).\n');
}

async function readBody(req: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new WebHostError(`request body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The engine over HTTP + WebSocket for a browser: `POST /api/<method>`, events on `/api/events`, the renderer on `/`. */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host) && !options.allowNonLoopback) {
    throw new WebHostError(
      `refusing to listen on ${host}: without --host the web host only listens on 127.0.0.1. Pass --host ${host} to expose it on the network (anyone who has the URL with its token can then use it), or use an SSH tunnel.`,
    );
  }
  const token = options.token ?? newToken();
  let port = options.port ?? 0;
  const serveStatic = createStaticHandler(options.rendererDir, token);

  const authorised = (req: IncomingMessage, url: URL, allowQuery: boolean): boolean =>
    tokensMatch(token, bearerToken(req)) || tokensMatch(token, cookieToken(req, port)) || (allowQuery && tokensMatch(token, url.searchParams.get('token')));

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://host');
    if (url.pathname.startsWith('/api/')) {
      // API calls must carry the token in a header: a cookie alone would let another page on this machine post here.
      if (!tokensMatch(token, bearerToken(req))) return unauthorized(res);
      if (req.method !== 'POST') return sendJson(res, 405, { ok: false, error: { code: 'VALIDATION_ERROR', message: 'use POST' } });
      const method = decodeURIComponent(url.pathname.slice('/api/'.length));
      let args: unknown;
      try {
        const body = await readBody(req);
        args = body.trim() === '' ? {} : JSON.parse(body);
      } catch (error) {
        return sendJson(res, 400, {
          ok: false,
          error: { code: 'VALIDATION_ERROR', message: `${method}: request body is not valid JSON (${(error as Error).message})` },
        });
      }
      const result = await options.engine.call(method, args);
      return sendJson(res, result.ok ? 200 : (STATUS_BY_CODE[result.error.code] ?? 409), result);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return unauthorized(res);
    if (!authorised(req, url, true)) return unauthorized(res);
    if (url.searchParams.has('token')) {
      // Trade the URL token for a cookie so assets load and the token leaves the address bar and history.
      url.searchParams.delete('token');
      res.writeHead(303, {
        ...SECURITY_HEADERS,
        'Set-Cookie': `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: `${url.pathname}${url.search}`,
      });
      res.end();
      return;
    }
    await serveStatic(req, res);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('[web-host] request failed:', error);
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'INTERNAL', message: (error as Error).message } });
      else res.destroy();
    });
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://host');
    const origin = req.headers.origin;
    const sameOrigin = !origin || new URL(origin).host === req.headers.host;
    if (url.pathname !== '/api/events' || !sameOrigin || !authorised(req, url, true)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => sockets.emit('connection', ws, req));
  });
  const unsubscribe = options.engine.onEvent((name, payload) => {
    const message = JSON.stringify({ event: name, payload });
    for (const client of sockets.clients) if (client.readyState === client.OPEN) client.send(message);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE')
        reject(new WebHostError(`port ${port} on ${host} is already in use (another VC2 host?). Pass --port <n>, or --port 0 for any free port.`));
      else reject(error);
    });
    server.listen(port, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  const origin = `http://${shownHost}:${port}`;

  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    port,
    close: async () => {
      unsubscribe();
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
