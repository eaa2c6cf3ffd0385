import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RENDERER_DIR, type RunningHost, startHost } from '../../tests/fixtures/engine';
import { tempDir } from '../../tests/fixtures/temp-dir';
import { startWebHost } from './server';

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
