import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEngine } from '../../tests/fixtures/engine';
import { tempDir } from '../../tests/fixtures/temp-dir';
import type { EngineClient } from './client';

let engine: EngineClient | null = null;
afterEach(async () => {
  await engine?.close();
  engine = null;
});

describe('engine worker', () => {
  it('keeps the token in the host-side store and reports only that one is set', async () => {
    const config = tempDir();
    engine = await startEngine(config);
    const result = await engine.call('settings.setHfToken', { token: 'hf_secretsecretsecret' });
    expect(result).toMatchObject({ ok: true, value: { hfTokenSet: true, hfTokenSource: 'settings' } });
    expect(JSON.stringify(result)).not.toContain('hf_secretsecretsecret');
    expect(existsSync(join(config, 'hf-token'))).toBe(true);
  });

  it('reopens the last library when it starts again', async () => {
    const config = tempDir();
    const path = join(tempDir(), 'lib');
    engine = await startEngine(config);
    await engine.call('library.create', { path });
    await engine.close();
    engine = await startEngine(config);
    expect(await engine.call('library.current', {})).toMatchObject({ ok: true, value: { path } });
  });

  it('runs a job in the worker and streams its progress', async () => {
    engine = await startEngine(tempDir());
    const events: Array<{ name: string; payload: { id?: number; state?: string } }> = [];
    engine.onEvent((name, payload) => events.push({ name, payload: payload as { id?: number; state?: string } }));
    await engine.call('library.create', { path: join(tempDir(), 'lib') });
    const started = await engine.call('library.measure', {});
    expect(started.ok).toBe(true);
    await expect.poll(() => events.some((e) => e.name === 'job.progress' && e.payload.state === 'finished')).toBe(true);
    expect(await engine.call('library.usage', {})).toMatchObject({ ok: true, value: { measuredAt: expect.any(String) } });
  });

  it('rejects invalid arguments in the host before they reach the worker', async () => {
    engine = await startEngine(tempDir());
    expect(await engine.call('jobs.get', { id: -1 })).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR', issues: [{ path: 'id' }] } });
  });
});
