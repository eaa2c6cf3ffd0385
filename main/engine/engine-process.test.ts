import { execFileSync, fork, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WORKER_PATH } from '../../tests/fixtures/engine';
import { tempDir } from '../../tests/fixtures/temp-dir';
import { FileSecretStore } from '../services/settings/file-secret-store';
import { EngineClient, EngineStartError } from './client';
import { ENGINE_CONFIG_ENV } from './engine-port';

// The Electron shell's engine: the same bundle as a child process on a Node of our choosing (engine-runtime.ts).
let engine: EngineClient | null = null;
afterEach(async () => {
  await engine?.close();
  engine = null;
});

const start = (node: string, configDir = tempDir()) =>
  EngineClient.start({ workerPath: WORKER_PATH, configDir, host: 'test', version: 'test', secrets: new FileSecretStore(configDir), node });

/** A Node on this machine that is not the one node_modules was built for (Debian's, when it is older), or null. */
function otherNode(): { node: string; modules: string } | null {
  for (const node of ['/usr/bin/node', '/usr/local/bin/node']) {
    if (!existsSync(node)) continue;
    const seen = spawnSync(node, ['-p', 'process.versions.modules'], { encoding: 'utf8' });
    const modules = seen.stdout?.trim();
    if (seen.status === 0 && modules && modules !== process.versions.modules) return { node, modules };
  }
  return null;
}

describe('the engine as a child process', () => {
  it('answers calls, runs jobs with progress events, and keeps the token on the host side', async () => {
    const config = tempDir();
    engine = await start(process.execPath, config);
    const path = join(tempDir(), 'lib');
    expect(await engine.call('library.create', { path })).toMatchObject({ ok: true, value: { path } });
    expect(await engine.call('app.info', {})).toMatchObject({ ok: true, value: { host: 'test' } });
    const events: string[] = [];
    engine.onEvent((_name, payload) => events.push((payload as { state?: string }).state ?? ''));
    expect(await engine.call('library.measure', {})).toMatchObject({ ok: true });
    await expect.poll(() => events.includes('finished')).toBe(true);
    // The secret store is the host's (safeStorage in Electron): the child asks for it over the channel.
    expect(await engine.call('settings.setHfToken', { token: 'hf_secretsecretsecret' })).toMatchObject({ ok: true, value: { hfTokenSet: true } });
    expect(readFileSync(join(config, 'hf-token'), 'utf8')).toContain('hf_secretsecretsecret');
  });

  it('closes the library and exits when asked, and reopens it on the next start', async () => {
    const config = tempDir();
    const path = join(tempDir(), 'lib');
    engine = await start(process.execPath, config);
    await engine.call('library.create', { path });
    await engine.close();
    expect(existsSync(join(path, 'library.sqlite-wal'))).toBe(false);
    engine = await start(process.execPath, config);
    expect(await engine.call('library.current', {})).toMatchObject({ ok: true, value: { path } });
  });

  const other = otherNode();
  it.skipIf(other === null)(
    `on a Node whose ABI cannot load the build, start-up fails with the reason in one line (${other?.node ?? 'no other Node here'})`,
    async () => {
      const error = await start(other?.node ?? '').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EngineStartError);
      expect((error as Error).message).toMatch(
        new RegExp(
          `exited during start-up on ${other?.node}.*better-sqlite3\\) was built for NODE_MODULE_VERSION ${process.versions.modules}, and that Node needs ${other?.modules}`,
        ),
      );
    },
  );

  it("npm run dist's preparation stages this Node for installers, leaving node_modules as it was (npm test still runs)", async () => {
    const out = tempDir();
    const addon = resolve('node_modules/better-sqlite3/build/Release/better_sqlite3.node');
    const before = readFileSync(addon);
    const log = execFileSync(process.execPath, ['scripts/stage-engine-node.mjs', '--out', out], { encoding: 'utf8' });
    expect(log).toMatch(/staged Node v22\.\d+\.\d+ \(NODE_MODULE_VERSION \d+/);
    const meta = JSON.parse(readFileSync(join(out, 'engine-node.json'), 'utf8')) as { modules: string; version: string };
    expect(meta).toMatchObject({ modules: process.versions.modules, version: process.version });
    expect(readFileSync(addon).equals(before)).toBe(true);
    // The staged Node runs the engine as an installed app would.
    engine = await start(join(out, process.platform === 'win32' ? 'node.exe' : 'node'));
    expect(await engine.call('library.create', { path: join(tempDir(), 'lib') })).toMatchObject({ ok: true });
  });

  it('closes the library cleanly and exits when the app goes away mid-job, instead of dying on the closed channel', async () => {
    const configDir = tempDir();
    const path = join(tempDir(), 'lib');
    const config = { configDir, host: 'test', version: 'test', secretStorage: 'file' };
    const child = fork(WORKER_PATH, [], {
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, [ENGINE_CONFIG_ENV]: JSON.stringify(config) },
    });
    let stderr = '';
    child.stderr?.on('data', (d) => {
      stderr += d;
    });
    const replies = new Map<number, unknown>();
    let running = false;
    child.on('message', (m: { type: string; seq?: number; result?: unknown; name?: string; payload?: { state?: string; kind?: string } }) => {
      if (m.type === 'reply' && m.seq !== undefined) replies.set(m.seq, m.result);
      if (m.type === 'event' && m.payload?.kind === 'annotations.import' && m.payload.state === 'running') running = true;
    });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    await expect.poll(() => child.connected).toBe(true);
    child.send({ type: 'call', seq: 1, method: 'library.create', args: { path } });
    await expect.poll(() => replies.get(1), { timeout: 10_000 }).toMatchObject({ ok: true });
    // An import long enough to be running when the host goes: its cancel emits job events.
    const folder = tempDir();
    const file = join(folder, 'video', 'caption', 'webvid', 'train.json');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(
      file,
      JSON.stringify(Array.from({ length: 300_000 }, (_, i) => ({ video: `${i % 50}/${i}.mp4`, QA: [{ i: '', q: 'What?', a: 'A clip.' }] }))),
    );
    child.send({ type: 'call', seq: 2, method: 'annotations.import', args: { path: folder } });
    await expect.poll(() => running, { timeout: 10_000 }).toBe(true);
    // The host's end of the channel goes, as when the window's process crashes: the job's stop events have nowhere to go.
    child.disconnect();
    expect(await exited).toBe(0);
    expect(stderr).not.toMatch(/ERR_IPC_CHANNEL_CLOSED|Unhandled/);
    expect(existsSync(join(path, 'library.sqlite-wal'))).toBe(false);
  });
});
