import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WORKER_PATH } from '../../tests/fixtures/engine';
import { tempDir } from '../../tests/fixtures/temp-dir';
import { FileSecretStore } from '../services/settings/file-secret-store';
import { EngineClient, EngineStartError } from './client';

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
});
