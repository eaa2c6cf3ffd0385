import type { IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RENDERER_DIR, type RunningHost, startHost } from '../../tests/fixtures/engine';
import { tempDir } from '../../tests/fixtures/temp-dir';
import { BodyError, clientErrorStatus, MAX_BUFFERED_EVENT_BYTES, methodFromPath, originAllowed, readBody, requestUrl, startWebHost } from './server';

let host: RunningHost | null = null;
afterEach(async () => {
  await host?.stop();
  host = null;
});

describe('web host', () => {
  it('answers 401 without a token and with a wrong one, on the API, the page and the event socket', async () => {
    host = await startHost(tempDir());
    expect((await host.call('library.current', {}, null)).status).toBe(401);
    expect((await host.call('library.current', {}, 'wrong-token')).status).toBe(401);
    expect((await fetch(`${host.web.origin}/`)).status).toBe(401);
    expect((await fetch(`${host.web.origin}/?token=nope`)).status).toBe(401);
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${host?.web.origin.replace('http', 'ws')}/api/events?token=nope`);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
    });
    expect(refused).toBe(401);
  });

  it('does not accept the page cookie alone for API calls', async () => {
    host = await startHost(tempDir());
    const response = await fetch(`${host.web.origin}/api/library.current`, {
      method: 'POST',
      headers: { Cookie: `vc2_token_${host.web.port}=${host.web.token}` },
      body: '{}',
    });
    expect(response.status).toBe(401);
  });

  it('trades the URL token for a cookie and serves the app with a strict CSP and the token for the page', async () => {
    host = await startHost(tempDir());
    const first = await fetch(host.web.url, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/');
    const cookie = first.headers.get('set-cookie')?.split(';')[0] ?? '';
    expect(first.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    const page = await fetch(`${host.web.origin}/`, { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const html = await page.text();
    expect(html).toContain(`<meta name="vc2-token" content="${host.web.token}">`);
    const script = /src="\.?\/?(assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    expect((await fetch(`${host.web.origin}/${script}`, { headers: { Cookie: cookie } })).status).toBe(200);
    expect((await fetch(`${host.web.origin}/${script}`)).status).toBe(401);
  });

  it('runs requests on the engine and pushes its events over the socket', async () => {
    host = await startHost(tempDir());
    const events: Array<{ event: string; payload: unknown }> = [];
    const ws = new WebSocket(`${host.web.origin.replace('http', 'ws')}/api/events?token=${host.web.token}`);
    await new Promise((resolve) => ws.on('open', resolve));
    ws.on('message', (data) => events.push(JSON.parse(String(data))));
    const path = join(tempDir(), 'lib');
    const created = await host.call('library.create', { path });
    expect(created).toMatchObject({ status: 200, body: { ok: true, value: { path } } });
    await expect.poll(() => events.find((e) => e.event === 'library.changed')).toMatchObject({ payload: { current: { path } } });
    ws.close();
  });

  it('returns typed errors with HTTP status: bad JSON, bad arguments, unknown method, domain errors', async () => {
    host = await startHost(tempDir());
    const badJson = await fetch(`${host.web.origin}/api/library.open`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${host.web.token}` },
      body: '{"path":',
    });
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR', message: expect.stringContaining('not valid JSON') } });
    expect(await host.call('library.open', { path: 'relative/dir' })).toMatchObject({
      status: 400,
      body: { error: { code: 'VALIDATION_ERROR', message: expect.stringContaining('absolute path') } },
    });
    expect(await host.call('nope.nothing')).toMatchObject({ status: 404, body: { error: { code: 'UNKNOWN_METHOD' } } });
    expect(await host.call('library.open', { path: tempDir() })).toMatchObject({ status: 409, body: { error: { code: 'NOT_A_LIBRARY' } } });
  });

  it('refuses to listen beyond loopback unless the user passed --host', async () => {
    const engine = { call: async () => ({ ok: true as const, value: null }), onEvent: () => () => undefined };
    await expect(startWebHost({ engine, rendererDir: RENDERER_DIR, host: '0.0.0.0', port: 0 })).rejects.toThrow(/refusing to listen on 0\.0\.0\.0.*--host/);
    const open = await startWebHost({ engine, rendererDir: RENDERER_DIR, host: '0.0.0.0', port: 0, allowNonLoopback: true });
    expect(open.url).toContain('?token=');
    await open.close();
  });
});

describe('web host input parsing', () => {
  it('turns a request target that is not a URL into null instead of an exception', () => {
    expect(requestUrl('http://[')).toBeNull();
    expect(requestUrl('//[::1')).toBeNull();
    expect(requestUrl('/api/events?token=t')?.searchParams.get('token')).toBe('t');
    expect(requestUrl(undefined)?.pathname).toBe('/');
  });

  it('decodes a method name, and gives null for broken %-encoding', () => {
    expect(methodFromPath('/api/app.info')).toBe('app.info');
    expect(methodFromPath('/api/app%2Einfo')).toBe('app.info');
    for (const path of ['/api/%E0%A4%A', '/api/%', '/api/%ZZ', '/api/%C0%AF']) expect(methodFromPath(path)).toBeNull();
  });

  it('allows an event socket from no Origin or our own, and refuses null, garbage and other origins', () => {
    expect(originAllowed(undefined, '127.0.0.1:8710')).toBe(true);
    expect(originAllowed('http://127.0.0.1:8710', '127.0.0.1:8710')).toBe(true);
    expect(originAllowed('http://localhost', 'LOCALHOST:80')).toBe(true);
    for (const origin of ['null', '', 'http://[', 'not a url', 'file://', 'http://127.0.0.1:8711', 'http://127.0.0.1:8710.evil.example'])
      expect({ origin, allowed: originAllowed(origin, '127.0.0.1:8710') }).toEqual({ origin, allowed: false });
    expect(originAllowed('http://127.0.0.1:8710', undefined)).toBe(false);
    expect(originAllowed('http://127.0.0.1:8710', '[')).toBe(false);
  });

  it('answers what Node would for a request it could not parse', () => {
    expect(clientErrorStatus('HPE_HEADER_OVERFLOW')).toBe(431);
    expect(clientErrorStatus('ERR_HTTP_REQUEST_TIMEOUT')).toBe(408);
    expect(clientErrorStatus('HPE_INVALID_METHOD')).toBe(400);
    expect(clientErrorStatus(undefined)).toBe(400);
  });
});

describe('web host body reading', () => {
  const request = (chunks: Buffer[], headers: Record<string, string> = {}) => Object.assign(Readable.from(chunks), { headers }) as unknown as IncomingMessage;
  const failure = (promise: Promise<string>) =>
    promise.then(
      () => null,
      (error: unknown) => error,
    );

  it('reads a UTF-8 body', async () => {
    expect(await readBody(request([Buffer.from('{"a":'), Buffer.from('"é"}')]))).toBe('{"a":"é"}');
  });

  it('refuses with 413 a body declared or grown over the limit, and stops reading it', async () => {
    const declared = request([Buffer.from('{}')], { 'content-length': '11' });
    expect(await failure(readBody(declared, 10))).toMatchObject({ status: 413, message: expect.stringContaining('larger than 10 bytes') });
    expect(declared.readableFlowing).toBeNull();
    const grown = request([Buffer.alloc(6), Buffer.alloc(6), Buffer.alloc(6)]);
    const error = await failure(readBody(grown, 10));
    expect(error).toBeInstanceOf(BodyError);
    expect(error).toMatchObject({ status: 413 });
    expect(grown.isPaused()).toBe(true);
  });

  it('refuses with 400 a body that is not UTF-8, or that the client cut off', async () => {
    expect(await failure(readBody(request([Buffer.from([0x7b, 0xff, 0x7d])])))).toMatchObject({ status: 400, message: expect.stringContaining('UTF-8') });
    const cut = request([Buffer.from('{"a"')]);
    const pending = failure(readBody(cut));
    cut.destroy(new Error('aborted'));
    expect(await pending).toMatchObject({ status: 400, message: expect.stringContaining('cut off') });
  });
});

describe('web host limits', () => {
  it('refuses a headers timeout longer than the request timeout', async () => {
    const engine = { call: async () => ({ ok: true as const, value: null }), onEvent: () => () => undefined };
    await expect(startWebHost({ engine, rendererDir: RENDERER_DIR, port: 0, timeouts: { headersMs: 2000, requestMs: 1000 } })).rejects.toThrow(
      /headers timeout/,
    );
  });

  it('drops an event socket whose client stopped reading instead of buffering for it without bound', async () => {
    let emit: (name: string, payload: unknown) => void = () => undefined;
    const engine = {
      call: async () => ({ ok: true as const, value: null }),
      onEvent: (listener: typeof emit) => {
        emit = listener;
        return () => undefined;
      },
    };
    const web = await startWebHost({ engine, rendererDir: RENDERER_DIR, port: 0 });
    const socket = connect(web.port, '127.0.0.1');
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => {
      socket.once('data', () => resolve());
      socket.write(
        `GET /api/events?token=${web.token} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    socket.pause();
    const big = 'x'.repeat(1024 * 1024);
    const sent = (4 * MAX_BUFFERED_EVENT_BYTES) / big.length;
    for (let i = 0; i < sent; i += 1) emit('job.progress', big);
    let received = 0;
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
    const closed = new Promise((resolve) => {
      socket.on('close', () => resolve('closed'));
      setTimeout(() => resolve('still open'), 3000);
    });
    socket.resume();
    try {
      expect(await closed).toBe('closed');
      expect(received).toBeLessThan(sent * big.length);
    } finally {
      socket.destroy();
      await web.close();
    }
  });
});
