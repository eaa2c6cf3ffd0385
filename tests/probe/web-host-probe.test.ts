import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startWebHost, type WebHost } from '../../main/web-host/server';
import { RENDERER_DIR, type RunningHost, startHost } from '../fixtures/engine';
import { tempDir } from '../fixtures/temp-dir';

// A standing hostile-client probe of the web host (issue 9): malformed HTTP, upgrades and WebSocket frames over raw TCP.
// Each probe ends by checking that nothing escaped as an uncaught error (in `npm run serve` that kills the process)
// and that the host and the engine behind it still answer.

let host: RunningHost;
let slow: WebHost;
const escaped: unknown[] = [];
const record = (error: unknown) => escaped.push(error);

beforeAll(async () => {
  process.on('uncaughtException', record);
  process.on('unhandledRejection', record);
  host = await startHost(tempDir('vc2-probe-'));
  // The same engine behind a second host with short timeouts, so slow-client probes finish in a second.
  slow = await startWebHost({ engine: host.engine, rendererDir: RENDERER_DIR, port: 0, timeouts: { headersMs: 300, requestMs: 600, keepAliveMs: 300 } });
});

afterAll(async () => {
  await slow?.close();
  await host?.stop();
  process.off('uncaughtException', record);
  process.off('unhandledRejection', record);
});

function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms))]);
}

async function expectAlive(web: WebHost = host.web): Promise<void> {
  expect(escaped.splice(0)).toEqual([]);
  const response = await within(
    1000,
    'POST /api/app.info',
    fetch(`${web.origin}/api/app.info`, { method: 'POST', headers: { Authorization: `Bearer ${web.token}` }, body: '{}' }),
  );
  expect(response.status).toBe(200);
  expect((await within(1000, 'engine app.info', host.engine.call('app.info', {}))).ok).toBe(true);
}

/** Runs one probe, then checks the host survived it. */
function probe(name: string, run: () => Promise<void>): void {
  it(name, async () => {
    escaped.length = 0; // errors that escaped an earlier, failed probe belong to it
    await run();
    await expectAlive();
  });
}

interface Reply {
  text: string;
  status: number | null;
  /** The host closed the connection (FIN or RST) before we gave up waiting. */
  closed: boolean;
}

/** Writes raw bytes to the host and collects what comes back until it closes the connection or `waitMs` passes. */
function raw(chunks: Array<string | Buffer>, { port = host.web.port, waitMs = 1500, gapMs = 0 } = {}): Promise<Reply> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(received).toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
      resolve({ text, status: status ? Number(status) : null, closed });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.on('data', (chunk) => received.push(chunk));
    socket.on('error', () => undefined); // a reset from the host is an answer too; 'close' follows
    socket.on('close', () => finish(true));
    socket.on('connect', async () => {
      for (const chunk of chunks) {
        if (socket.destroyed) return;
        socket.write(chunk);
        if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
      }
    });
  });
}

const hostHeader = () => `Host: 127.0.0.1:${host.web.port}\r\n`;
const auth = () => `Authorization: Bearer ${host.web.token}\r\n`;
const upgradeHeaders = 'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n';
const upgrade = (extra = '', path = `/api/events?token=${host.web.token}`) => `GET ${path} HTTP/1.1\r\n${hostHeader()}${upgradeHeaders}${extra}\r\n`;
const post = (method: string, body: string | Buffer, extra = '') => [
  `POST /api/${method} HTTP/1.1\r\n${hostHeader()}${auth()}Connection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n`,
  body,
];

describe('web host probe: WebSocket upgrades', () => {
  it('accepts an authenticated upgrade that sends no Origin (a non-browser client) or its own origin', async () => {
    expect((await raw([upgrade()], { waitMs: 300 })).status).toBe(101);
    expect((await raw([upgrade(`Origin: http://127.0.0.1:${host.web.port}\r\n`)], { waitMs: 300 })).status).toBe(101);
    await expectAlive();
  });

  probe('refuses an upgrade with Origin: null (sandboxed iframes and file: pages send it)', async () => {
    const reply = await raw([upgrade('Origin: null\r\n')]);
    expect(reply.status).toBe(403);
    expect(reply.closed).toBe(true);
  });

  probe('refuses upgrades whose Origin is garbage, empty or foreign', async () => {
    const origins = ['http://[', '::::', 'not a url', '', 'http://evil.example', `http://127.0.0.1:${host.web.port}.evil.example`, 'file://'];
    for (const origin of origins) expect({ origin, status: (await raw([upgrade(`Origin: ${origin}\r\n`)])).status }).toEqual({ origin, status: 403 });
  });

  probe('refuses upgrades whose request line cannot be parsed as a URL', async () => {
    for (const path of ['http://[', 'http://[/api/events', '//[::1', '/api/events%']) {
      const reply = await raw([upgrade(`Origin: http://127.0.0.1:${host.web.port}\r\n`, path)]);
      expect({ path, refused: reply.status !== 101 && reply.closed }).toEqual({ path, refused: true });
    }
  });

  probe('refuses a broken handshake: missing key, wrong version, huge headers, no token', async () => {
    const base = `GET /api/events?token=${host.web.token} HTTP/1.1\r\n${hostHeader()}Upgrade: websocket\r\nConnection: Upgrade\r\n`;
    expect((await raw([`${base}Sec-WebSocket-Version: 13\r\n\r\n`])).status).toBe(400);
    expect((await raw([`${base}Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 99\r\n\r\n`])).status).toBe(400);
    expect((await raw([upgrade(`X-Big: ${'a'.repeat(20_000)}\r\n`)])).status).toBe(431);
    expect((await raw([upgrade('', '/api/events')])).status).toBe(401);
  });
});

/** Completes a real handshake over raw TCP so the probe can write frames no well-behaved client would. */
async function openSocket(): Promise<{ socket: Socket; closed: Promise<{ code: number | null }> }> {
  const socket = connect(host.web.port, '127.0.0.1');
  socket.on('error', () => undefined);
  let buffer = Buffer.alloc(0);
  let upgraded = false;
  const closed = new Promise<{ code: number | null }>((resolve) => {
    socket.on('close', () => {
      const at = buffer.indexOf('\r\n\r\n');
      const frames = at < 0 ? Buffer.alloc(0) : buffer.subarray(at + 4);
      // The host's close frame (opcode 8, unmasked) carries the status code in its first two payload bytes.
      resolve({ code: frames[0] === 0x88 && (frames[1] ?? 0) >= 2 ? frames.readUInt16BE(2) : null });
    });
  });
  await new Promise<void>((resolve, reject) => {
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!upgraded && buffer.includes('\r\n\r\n')) {
        upgraded = true;
        if (buffer.toString('latin1').startsWith('HTTP/1.1 101')) resolve();
        else reject(new Error(`handshake refused: ${buffer.toString('latin1').split('\r\n')[0]}`));
      }
    });
    socket.write(upgrade());
  });
  return { socket, closed };
}

function frame(opcode: number, payload: Buffer, { fin = true, masked = true, rsv = 0 } = {}): Buffer {
  const first = Buffer.from([(fin ? 0x80 : 0) | rsv | opcode]);
  const maskBit = masked ? 0x80 : 0;
  let length: Buffer;
  if (payload.length < 126) length = Buffer.from([maskBit | payload.length]);
  else {
    length = Buffer.alloc(3);
    length[0] = maskBit | 126;
    length.writeUInt16BE(payload.length, 1);
  }
  if (!masked) return Buffer.concat([first, length, payload]);
  const key = randomBytes(4);
  return Buffer.concat([first, length, key, payload.map((byte, i) => byte ^ (key[i % 4] ?? 0))]);
}

describe('web host probe: WebSocket frames', () => {
  it('keeps a socket open for well-formed frames (the helpers are right)', async () => {
    const { socket, closed } = await openSocket();
    socket.write(frame(0x1, Buffer.from('hello')));
    socket.write(frame(0x9, Buffer.from('ping')));
    expect(await Promise.race([closed, new Promise((r) => setTimeout(() => r('open'), 300))])).toBe('open');
    socket.destroy();
    await expectAlive();
  });

  probe('closes (1009) an authenticated message over 64 KiB instead of dying', async () => {
    const ws = new WebSocket(`${host.web.origin.replace('http', 'ws')}/api/events?token=${host.web.token}`);
    await new Promise((resolve) => ws.on('open', resolve));
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.on('error', () => undefined);
    ws.send(Buffer.alloc(65 * 1024 + 1));
    expect(await within(2000, 'close', closed)).toBe(1009);
  });

  const broken: Array<[string, () => Buffer, number]> = [
    ['an invalid opcode', () => frame(0x3, Buffer.alloc(0)), 1002],
    ['an unmasked client frame', () => frame(0x1, Buffer.from('hi'), { masked: false }), 1002],
    ['bad UTF-8 in a text frame', () => frame(0x1, Buffer.from([0xff, 0xfe, 0xc3])), 1007],
    ['reserved bits set', () => frame(0x1, Buffer.from('hi'), { rsv: 0x40 }), 1002],
    ['a fragmented control frame', () => frame(0x9, Buffer.alloc(0), { fin: false }), 1002],
    ['a length of 2^63 - 1', () => Buffer.from([0x82, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), 1009],
    ['a close frame with an invalid code', () => frame(0x8, Buffer.from([0x00, 0x01])), 1002],
  ];
  for (const [what, bytes, code] of broken) {
    probe(`closes only that socket (${code}) on ${what}`, async () => {
      const bystander = await openSocket();
      const { socket, closed } = await openSocket();
      socket.write(bytes());
      expect(await within(2000, 'close', closed)).toEqual({ code });
      expect(bystander.socket.destroyed).toBe(false);
      bystander.socket.destroy();
    });
  }
});

describe('web host probe: malformed HTTP', () => {
  probe('answers 400 to input that is not HTTP', async () => {
    for (const input of ['HELLO WORLD\r\n\r\n', randomBytes(512), 'GET / HTTP/9.9\r\n\r\n', '\r\n\r\n\r\n\x00\x01']) {
      const reply = await raw([input]);
      expect(reply.closed).toBe(true);
      expect(reply.status === null || reply.status === 400).toBe(true);
    }
  });

  probe('answers 400 to request lines and headers that break the grammar', async () => {
    const bad = [
      `GET / HTTP/1.1\r\n${hostHeader()}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n`,
      `POST /api/app.info HTTP/1.1\r\n${hostHeader()}Content-Length: -1\r\n\r\n`,
      `POST /api/app.info HTTP/1.1\r\n${hostHeader()}Content-Length: 99999999999999999999999\r\n\r\n`,
      `GET / HTTP/1.1\r\n${hostHeader()}no colon here\r\n\r\n`,
      `GET / HTTP/1.1\r\n${hostHeader()}X-Nul: a\x00b\r\n\r\n`,
      `GET /a b c HTTP/1.1\r\n${hostHeader()}\r\n`,
      `BREW / HTTP/1.1\r\n${hostHeader()}\r\n`,
    ];
    for (const request of bad) expect({ request, status: (await raw([request])).status }).toEqual({ request, status: 400 });
  });

  probe('answers 400, not a crash or a 500, to request lines that are not URLs', async () => {
    for (const target of ['http://[', 'http://[/api/app.info', '//[::1']) {
      const reply = await raw([`GET ${target} HTTP/1.1\r\n${hostHeader()}Connection: close\r\n\r\n`]);
      expect({ target, status: reply.status }).toEqual({ target, status: 400 });
      expect((await raw(post(`../${target}`, '{}'))).status).not.toBe(500);
    }
    expect((await raw([`GET /% HTTP/1.1\r\n${hostHeader()}Connection: close\r\n\r\n`])).status).toBe(401);
    const cookie = `Cookie: vc2_token_${host.web.port}=${host.web.token}\r\n`;
    expect((await raw([`GET /% HTTP/1.1\r\n${hostHeader()}${cookie}Connection: close\r\n\r\n`])).status).toBe(404);
  });

  probe('answers 431 to headers over 16 KiB, in one header or in thousands', async () => {
    expect((await raw([`GET / HTTP/1.1\r\n${hostHeader()}X-Big: ${'a'.repeat(20_000)}\r\n\r\n`])).status).toBe(431);
    const many = Array.from({ length: 3000 }, (_, i) => `X-${i}: 1\r\n`).join('');
    expect((await raw([`POST /api/app.info HTTP/1.1\r\n${hostHeader()}${auth()}${many}\r\n`])).status).toBe(431);
    expect((await raw(post('app.info', '{}', `Authorization: Bearer ${'x'.repeat(17_000)}\r\n`))).status).toBe(431);
  });

  probe('answers 405 or 401 to the wrong methods, and closes a CONNECT', async () => {
    for (const method of ['GET', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']) {
      const reply = await raw([`${method} /api/app.info HTTP/1.1\r\n${hostHeader()}${auth()}Connection: close\r\n\r\n`]);
      expect({ method, status: reply.status }).toEqual({ method, status: 405 });
    }
    for (const method of ['POST', 'PUT', 'DELETE']) expect((await raw([`${method} / HTTP/1.1\r\n${hostHeader()}Connection: close\r\n\r\n`])).status).toBe(401);
    expect((await raw([`CONNECT 127.0.0.1:22 HTTP/1.1\r\n${hostHeader()}\r\n`])).closed).toBe(true);
  });
});

describe('web host probe: API paths and bodies', () => {
  const apiPost = (path: string, body = '{}') =>
    fetch(`${host.web.origin}/api/${path}`, { method: 'POST', headers: { Authorization: `Bearer ${host.web.token}` }, body });

  probe('answers 404 UNKNOWN_METHOD naming the path to bad percent-encoding in a method name', async () => {
    for (const path of ['%E0%A4%A', '%', 'app.info%', '%C0%AF', '%ZZ']) {
      const response = await apiPost(path);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
      expect(await response.json()).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD', message: expect.stringContaining(path) } });
    }
    expect((await apiPost('%00')).status).toBe(404);
    expect((await apiPost('__proto__')).status).toBe(404);
  });

  probe('answers 400 VALIDATION_ERROR to a body that is not UTF-8', async () => {
    for (const body of [Buffer.from([0xff, 0xfe, 0x7b, 0x7d]), Buffer.concat([Buffer.from('{"path":"/tmp/'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')])]) {
      const reply = await raw(post('library.open', body));
      expect(reply.status).toBe(400);
      expect(reply.text).toMatch(/"code":"VALIDATION_ERROR".*UTF-8/);
    }
  });

  probe('answers 413 to a declared body over 1 MiB and stops reading it', async () => {
    const head = `POST /api/app.info HTTP/1.1\r\n${hostHeader()}${auth()}Content-Length: ${100 * 1024 * 1024}\r\n\r\n`;
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    // Keeps sending for up to two seconds: a host that drains the whole 100 MiB would still be reading.
    const reply = await raw([head, ...Array.from({ length: 400 }, () => chunk)], { waitMs: 2000, gapMs: 5 });
    expect(reply.status).toBe(413);
    expect(reply.closed).toBe(true);
    expect(reply.text).toContain('larger than');
  });

  probe('answers 413 to a chunked body that grows past 1 MiB', async () => {
    const head = `POST /api/app.info HTTP/1.1\r\n${hostHeader()}${auth()}Transfer-Encoding: chunked\r\n\r\n`;
    const piece = Buffer.concat([Buffer.from('10000\r\n'), Buffer.alloc(0x10000, 0x20), Buffer.from('\r\n')]);
    const reply = await raw([head, ...Array.from({ length: 40 }, () => piece)], { waitMs: 2000 });
    expect(reply.status).toBe(413);
    expect(reply.closed).toBe(true);
  });

  probe('still takes a body just under the limit', async () => {
    const body = `{${' '.repeat(1024 * 1024 - 2)}}`;
    expect((await apiPost('app.info', body)).status).toBe(200);
  });
});

describe('web host probe: slow clients', () => {
  const slowHost = () => `Host: 127.0.0.1:${slow.port}\r\n`;

  it('drops a client that dribbles its headers (slowloris) with 408', async () => {
    const dribble = [`GET / HTTP/1.1\r\n${slowHost()}`, ...'X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'.split('')];
    const reply = await raw(dribble, { port: slow.port, gapMs: 100, waitMs: 2500 });
    expect(reply.closed).toBe(true);
    expect(reply.status).toBe(408);
    await expectAlive(slow);
  });

  it('drops an upgrade whose headers never finish', async () => {
    const reply = await raw([`GET /api/events?token=${slow.token} HTTP/1.1\r\n${slowHost()}Upgrade: websocket\r\n`], { port: slow.port, waitMs: 2500 });
    expect(reply.closed).toBe(true);
    await expectAlive(slow);
  });

  it('drops a request whose body never finishes, and the request handler survives it', async () => {
    const head = `POST /api/app.info HTTP/1.1\r\n${slowHost()}Authorization: Bearer ${slow.token}\r\nContent-Length: 100\r\n\r\n{`;
    const reply = await raw([head], { port: slow.port, waitMs: 2500 });
    expect(reply.closed).toBe(true);
    expect(reply.status).toBe(408);
    await expectAlive(slow);
    await expectAlive();
  });

  it('closes an idle keep-alive connection', async () => {
    const request = `POST /api/app.info HTTP/1.1\r\n${slowHost()}Authorization: Bearer ${slow.token}\r\nContent-Length: 2\r\n\r\n{}`;
    const reply = await raw([request], { port: slow.port, waitMs: 2500 });
    expect(reply.status).toBe(200);
    expect(reply.closed).toBe(true);
    await expectAlive(slow);
  });
});
