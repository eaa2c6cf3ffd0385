import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { type IpcMainLike, registerApi } from '../../main/electron/ipc';
import { isAppUrl } from '../../main/electron/security';
import { requestChannel } from '../../shared/api/channels';
import { contract, type MethodName, methodNames } from '../../shared/api/contract';
import { type RunningHost, startHost } from '../fixtures/engine';

const WRONG_VALUES: unknown[] = [42, -1, 1.5, 'x', '', 'relative/path', '/ok\0bad', null, true, [], {}, ['a'], { nested: 1 }, 'a'.repeat(5000)];

/** Malformed arguments for a method, generated from its schema so every new method is covered automatically. */
function malformedArgs(method: MethodName): unknown[] {
  const schema = contract[method].args as z.ZodObject;
  const cases: unknown[] = [42, 'string', null, true, [], [{}], { unexpectedField: 1 }];
  for (const key of Object.keys(schema.shape)) {
    for (const value of WRONG_VALUES) {
      const candidate = { [key]: value };
      if (!schema.safeParse(candidate).success) cases.push(candidate);
    }
  }
  return cases;
}

/** Everything a malformed call could have changed: engine state through the API, and the files on disk. */
async function snapshot(host: RunningHost, dirs: string[]): Promise<string> {
  const state = await Promise.all(['settings.get', 'library.current', 'library.recent', 'jobs.list', 'library.usage'].map((m) => host.call(m)));
  const files = dirs.flatMap((dir) =>
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && !e.name.endsWith('-shm') && !e.name.endsWith('-wal'))
      .map((e) => {
        const path = join(e.parentPath, e.name);
        return `${path}:${statSync(path).size}:${e.name.endsWith('.sqlite') ? '' : readFileSync(path, 'utf8')}`;
      }),
  );
  return JSON.stringify({ state: state.map((s) => s.body), files: files.sort() });
}

describe('every API method rejects malformed arguments with a typed error and changes nothing', () => {
  let host: RunningHost;
  let dirs: string[];

  beforeAll(async () => {
    // Folders for the whole suite (the per-test temp helper would remove them after the first test).
    const config = mkdtempSync(join(tmpdir(), 'vc2-fuzz-config-'));
    const library = join(mkdtempSync(join(tmpdir(), 'vc2-fuzz-lib-')), 'lib');
    host = await startHost(config);
    await host.call('library.create', { path: library });
    await host.call('settings.setHfToken', { token: 'hf_fuzzfuzzfuzzfuzz' });
    dirs = [config, library];
  });
  afterAll(async () => {
    await host.stop();
    for (const dir of dirs) rmSync(dirname(dir) === tmpdir() ? dir : dirname(dir), { recursive: true, force: true });
  });

  it.each(methodNames)('%s, through the web host', async (method) => {
    const before = await snapshot(host, dirs);
    for (const args of malformedArgs(method)) {
      const { status, body } = await host.call(method, args);
      expect({ args, status, code: body.error?.code }).toEqual({ args, status: 400, code: 'VALIDATION_ERROR' });
      expect(body.error?.message).toContain(method);
    }
    expect(await snapshot(host, dirs)).toBe(before);
  });

  it.each(methodNames)('%s, through the Electron IPC handlers', async (method) => {
    const handlers = new Map<string, (event: unknown, raw: unknown) => Promise<unknown>>();
    const ipc: IpcMainLike = { handle: (channel, listener) => handlers.set(channel, listener as never), removeHandler: () => undefined };
    registerApi(ipc, host.engine, isAppUrl);
    const handler = handlers.get(requestChannel(method));
    const before = await snapshot(host, dirs);
    for (const args of malformedArgs(method)) {
      const result = (await handler?.({ senderFrame: { url: 'vc2-app://app/index.html', parent: null } }, args)) as { ok: boolean; error?: { code: string } };
      expect({ args, ok: result.ok, code: result.error?.code }).toEqual({ args, ok: false, code: 'VALIDATION_ERROR' });
    }
    expect(await snapshot(host, dirs)).toBe(before);
  });

  it('is still serving after all of that', async () => {
    expect(await host.call('app.info')).toMatchObject({ status: 200, body: { ok: true, value: { name: 'VC2 Media Manager' } } });
  });
});
