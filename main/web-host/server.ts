import { createServer, type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { ErrorCode } from '../../shared/api/errors';
import type { EngineLike } from '../engine/engine-like';
import { bearerToken, cookieName, cookieToken, isLoopbackHost, newToken, tokensMatch } from './auth';
import { CLIP_SOURCE_PREFIX, MEDIA_PREFIX, serveMedia } from './media-route';
import { createStaticHandler, SECURITY_HEADERS } from './static';

export interface WebHostOptions {
  engine: EngineLike;
  rendererDir: string;
  host?: string;
  port?: number;
  /** Only an explicit `--host` from the user sets this: a network-reachable engine is never a default. */
  allowNonLoopback?: boolean;
  token?: string;
  /** Shorter in tests; the defaults bound how long a slow or silent client can hold a connection. */
  timeouts?: Partial<WebHostTimeouts>;
}

export interface WebHostTimeouts {
  /** The request line and headers must arrive within this (slowloris). */
  headersMs: number;
  /** The whole request, body included, must arrive within this. A 1 MiB body fits even a slow SSH tunnel. */
  requestMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveMs: number;
}

export const DEFAULT_TIMEOUTS: WebHostTimeouts = { headersMs: 10_000, requestMs: 30_000, keepAliveMs: 5_000 };

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
/** A chunk of bytes (an ffmpeg.wasm clip coming back): 8 MiB, the contract's own bound, and a little for framing. */
const MAX_BINARY_BODY_BYTES = 8 * 1024 * 1024 + 1024;
/** Node's default, pinned: more would only let a client make us buffer more before we refuse it (431). */
const MAX_HEADER_BYTES = 16 * 1024;
/** An event socket whose client stopped reading is dropped past this; the page reconnects and reloads its state. */
export const MAX_BUFFERED_EVENT_BYTES = 8 * 1024 * 1024;

const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  VALIDATION_ERROR: 400,
  UNKNOWN_METHOD: 404,
  ENGINE_UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** What Node itself would answer to a request it could not parse, had we not taken over `clientError`. */
const CLIENT_ERROR_STATUS: Record<string, number> = {
  HPE_HEADER_OVERFLOW: 431,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 413,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

export function clientErrorStatus(code: string | undefined): number {
  return CLIENT_ERROR_STATUS[code ?? ''] ?? 400;
}

function closingHeaders(res: ServerResponse): Record<string, string> {
  // Answering before the body has arrived: closing is how we stop reading it, where keep-alive would drain it all.
  return res.req.complete ? {} : { Connection: 'close' };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  // The client may be gone (a timeout, a reset) by the time an engine call returns: writing then would throw.
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    ...(status === 405 ? { Allow: 'POST' } : {}),
    ...closingHeaders(res),
  });
  res.end(JSON.stringify(body));
}

const apiError = (code: ErrorCode, message: string) => ({ ok: false, error: { code, message } });

function unauthorized(res: ServerResponse): void {
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(401, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'WWW-Authenticate': 'Bearer', ...closingHeaders(res) });
  res.end('401: missing or wrong token. Open the URL the host printed when it started (it contains ?token=…).\n');
}

/** The request target as a URL, or null when it is none (`GET http://[`): a refusal, not an exception. */
export function requestUrl(target: string | undefined): URL | null {
  try {
    return new URL(target ?? '/', 'http://host');
  } catch {
    return null;
  }
}

/** The method name from `/api/<name>`, or null when its %-encoding is broken (`/api/%E0%A4%A`). */
export function methodFromPath(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname.slice('/api/'.length));
  } catch {
    return null;
  }
}

/**
 * An event socket may be opened by a client that sends no Origin (not a browser) or by our own page. `Origin: null`
 * comes from sandboxed frames and file: pages, which are exactly the pages that must not read our events.
 */
export function originAllowed(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true;
  if (!host) return false;
  try {
    const from = new URL(origin);
    return (from.protocol === 'http:' || from.protocol === 'https:') && from.host === new URL(`http://${host}`).host;
  } catch {
    return false;
  }
}

export class BodyError extends WebHostError {
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The body as text; a body over the limit is refused as soon as it is known to be, and not read any further. */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  const bytes = await readBodyBytes(req, limit);
  try {
    // JSON is UTF-8: decoding leniently would turn a mis-encoded path into one with U+FFFD in it.
    return utf8.decode(bytes);
  } catch {
    throw new BodyError(400, 'request body is not valid UTF-8');
  }
}

/** The body's bytes, refused past `limit` as soon as that is known. */
export function readBodyBytes(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = () => new BodyError(413, `request body is larger than ${limit} bytes`);
  if (Number(req.headers['content-length']) > limit) return Promise.reject(tooLarge());
  return new Promise<Buffer>((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    const settle = (outcome: () => void) => {
      req.off('data', onData).off('end', onEnd).off('error', onGone).off('close', onGone);
      outcome();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else
        settle(() => {
          // Paused, the socket stops being read; the 413 then closes it.
          req.pause();
          reject(tooLarge());
        });
    };
    const onEnd = () => settle(() => resolve(Buffer.concat(chunks)));
    const onGone = () => settle(() => reject(new BodyError(400, 'the request body was cut off')));
    req.on('data', onData).on('end', onEnd).on('error', onGone).on('close', onGone);
  });
}

/** Answers a refused upgrade on the raw socket and closes it, whatever the client does next. */
function refuseUpgrade(socket: Duplex, status: number): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * The engine over HTTP + WebSocket for a browser: `POST /api/<method>`, events on `/api/events`, the player's media on
 * `/media/<source-id>/<ref>` (the API's token or the page's cookie), the renderer on `/`.
 */
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

  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  if (timeouts.headersMs > timeouts.requestMs) throw new WebHostError('the headers timeout must not be longer than the request timeout');

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = requestUrl(req.url);
    if (!url) return sendJson(res, 400, apiError('VALIDATION_ERROR', `the request target is not a valid URL: ${JSON.stringify(req.url).slice(0, 200)}`));
    if (url.pathname.startsWith('/api/')) {
      // API calls must carry the token in a header: a cookie alone would let another page on this machine post here.
      if (!tokensMatch(token, bearerToken(req))) return unauthorized(res);
      if (req.method !== 'POST') return sendJson(res, 405, apiError('VALIDATION_ERROR', 'use POST'));
      const method = methodFromPath(url.pathname);
      if (method === null) return sendJson(res, 404, apiError('UNKNOWN_METHOD', `unknown method ${url.pathname.slice(0, 200)}: its %-encoding is not valid`));
      let args: unknown;
      try {
        if (req.headers['content-type'] === 'application/octet-stream') {
          // Bytes (clips.wasmChunk): the other arguments ride in the query, the body is the `bytes` argument.
          const bytes = await readBodyBytes(req, MAX_BINARY_BODY_BYTES);
          let rest: unknown;
          try {
            rest = JSON.parse(url.searchParams.get('args') ?? '{}');
          } catch (error) {
            throw new BodyError(400, `the args query is not valid JSON (${(error as Error).message})`);
          }
          args = { ...(rest as object), bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
        } else {
          const body = await readBody(req);
          args = body.trim() === '' ? {} : JSON.parse(body);
        }
      } catch (error) {
        const status = error instanceof BodyError ? error.status : 400;
        const problem = error instanceof BodyError ? error.message : `request body is not valid JSON (${(error as Error).message})`;
        return sendJson(res, status, apiError('VALIDATION_ERROR', `${method}: ${problem}`));
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
    if (url.pathname.startsWith(MEDIA_PREFIX) || url.pathname.startsWith(CLIP_SOURCE_PREFIX)) return serveMedia(options.engine, req, res, url);
    await serveStatic(req, res);
  };

  const server = createServer(
    {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      keepAliveTimeout: timeouts.keepAliveMs,
      // Node checks the two timeouts above only this often (30 s by default), which would stretch them.
      connectionsCheckingInterval: Math.max(50, Math.min(1000, timeouts.headersMs / 4)),
      maxHeaderSize: MAX_HEADER_BYTES,
    },
    (req, res) => {
      handle(req, res).catch((error: unknown) => {
        console.error('[web-host] request failed:', error);
        if (!res.headersSent) sendJson(res, 500, apiError('INTERNAL', (error as Error).message));
        else res.destroy();
      });
    },
  );
  // Taking over from Node's default: answer what it could not parse (or a timeout) and always close the socket.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // A response already on the wire must not get a second status line spliced into it.
    const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (error.code !== 'ECONNRESET' && socket.writable && !inFlight?.headersSent) {
      const status = clientErrorStatus(error.code);
      socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    }
    socket.destroy();
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  sockets.on('error', (error) => console.error('[web-host] event socket server error:', error));
  // Node lets go of a socket once it is upgraded (or refused here): closeAllConnections() no longer reaches it.
  const upgrading = new Set<Duplex>();
  const upgradeRefusal = (req: IncomingMessage): number | null => {
    const url = requestUrl(req.url);
    if (!url) return 400;
    if (!originAllowed(req.headers.origin, req.headers.host)) return 403;
    if (!authorised(req, url, true)) return 401;
    return url.pathname === '/api/events' ? null : 404;
  };
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node removes its own error listener on upgrade: a client resetting the connection now would stop the host.
    socket.on('error', () => socket.destroy());
    upgrading.add(socket);
    socket.once('close', () => upgrading.delete(socket));
    try {
      const refusal = upgradeRefusal(req);
      if (refusal !== null) return refuseUpgrade(socket, refusal);
      sockets.handleUpgrade(req, socket, head, (ws) => {
        // ws has already closed this socket with the matching code (1002, 1007, 1009); only this client is affected.
        ws.on('error', (error) => console.warn(`[web-host] closed an event socket: ${error.message}`));
        sockets.emit('connection', ws, req);
      });
    } catch (error) {
      console.error('[web-host] upgrade failed:', error);
      refuseUpgrade(socket, 500);
    }
  });
  const unsubscribe = options.engine.onEvent((name, payload) => {
    const message = JSON.stringify({ event: name, payload });
    for (const client of sockets.clients) {
      if (client.readyState !== client.OPEN) continue;
      // A client that stopped reading would grow our memory without bound; it reconnects and reloads when it can.
      if (client.bufferedAmount > MAX_BUFFERED_EVENT_BYTES) client.terminate();
      else client.send(message);
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE')
        reject(new WebHostError(`port ${port} on ${host} is already in use (another VC2 host?). Pass --port <n>, or --port 0 for any free port.`));
      else reject(error);
    });
    server.listen(port, host, () => resolve());
  });
  // The handler above is for start-up only; a later accept error (EMFILE) must be logged, not thrown.
  server.on('error', (error) => console.error('[web-host] server error:', error));
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
      for (const socket of upgrading) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
