import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import { FileSecretStore } from './file-secret-store';
import { SettingsService } from './settings-service';

const TOKEN = 'hf_abcdefghijklmnopqrstuvwxyz012345';

function service(env: NodeJS.ProcessEnv = {}, dir = tempDir()) {
  const warnings: string[] = [];
  const changes: unknown[] = [];
  const settings = new SettingsService({
    configDir: dir,
    secrets: new FileSecretStore(dir),
    env,
    warn: (m) => warnings.push(m),
    onChange: (s) => changes.push(s),
  });
  return { settings, dir, warnings, changes };
}

describe('SettingsService', () => {
  it('saves the token in a file only the user can read and never returns it', async () => {
    const { settings, dir, changes } = service();
    const after = await settings.setHfToken(TOKEN);
    expect(after).toMatchObject({ hfTokenSet: true, hfTokenSource: 'settings' });
    expect(JSON.stringify(after)).not.toContain(TOKEN);
    expect(JSON.stringify(changes)).not.toContain(TOKEN);
    expect(statSync(join(dir, 'hf-token')).mode & 0o777).toBe(0o600);
    await settings.update({ downloadConcurrency: 3 });
    for (const f of readdirSync(dir).filter((name) => name !== 'hf-token')) expect(readFileSync(join(dir, f), 'utf8')).not.toContain(TOKEN);
    expect(await settings.hfToken()).toBe(TOKEN);
  });

  it('removes the saved token and falls back to HF_TOKEN from the environment', async () => {
    const { settings, dir } = service({ HF_TOKEN: 'hf_fromtheenvironment' });
    await settings.setHfToken(TOKEN);
    const cleared = await settings.clearHfToken();
    expect(cleared).toMatchObject({ hfTokenSet: true, hfTokenSource: 'env' });
    expect(existsSync(join(dir, 'hf-token'))).toBe(false);
    expect(await settings.hfToken()).toBe('hf_fromtheenvironment');
  });

  it('honours HF_ENDPOINT unless the user set an endpoint, and resets with an empty string', async () => {
    const { settings } = service({ HF_ENDPOINT: 'https://hf-mirror.example.org' });
    expect(await settings.get()).toMatchObject({ hfEndpoint: 'https://hf-mirror.example.org', hfEndpointSource: 'env' });
    expect(await settings.update({ hfEndpoint: 'https://hub.internal.example/' })).toMatchObject({
      hfEndpoint: 'https://hub.internal.example',
      hfEndpointSource: 'settings',
    });
    expect(await settings.update({ hfEndpoint: '' })).toMatchObject({ hfEndpointSource: 'env' });
    expect(await service().settings.get()).toMatchObject({ hfEndpoint: 'https://huggingface.co', hfEndpointSource: 'default' });
  });

  it('keeps settings across restarts', async () => {
    const { settings, dir } = service();
    await settings.update({ downloadConcurrency: 9, ffmpegPath: '/opt/ffmpeg/bin/ffmpeg' });
    await settings.rememberLibrary('/data/vc2', 'vc2');
    const again = service({}, dir).settings;
    expect(await again.get()).toMatchObject({ downloadConcurrency: 9, ffmpegPath: '/opt/ffmpeg/bin/ffmpeg' });
    expect(again.lastLibrary()).toBe('/data/vc2');
    expect(again.recent()).toEqual([expect.objectContaining({ path: '/data/vc2', name: 'vc2', available: false })]);
  });

  it('moves a damaged settings file aside instead of failing or deleting it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'settings.json'), '{ not json');
    const { settings, warnings } = service({}, dir);
    expect(settings.lastLibrary()).toBeNull();
    expect(warnings[0]).toMatch(/moved to .*settings\.json\.damaged-/);
    expect(readdirSync(dir).some((f) => f.startsWith('settings.json.damaged-'))).toBe(true);
  });

  it('keeps the most recent library first, without duplicates, and forgets on request', async () => {
    const { settings } = service();
    await settings.rememberLibrary('/a');
    await settings.rememberLibrary('/b');
    await settings.rememberLibrary('/a');
    expect(settings.recent().map((r) => r.path)).toEqual(['/a', '/b']);
    expect((await settings.forgetLibrary('/a')).map((r) => r.path)).toEqual(['/b']);
    expect(settings.lastLibrary()).toBeNull();
  });

  it('keeps a mirror per plain-HTTP source in the settings file, refuses one for a Hugging Face or manual source, and clears it', async () => {
    const { settings, dir } = service();
    expect((await settings.setMirror('coco', 'http://10.0.0.5/data/coco')).mirrors).toEqual({ coco: 'http://10.0.0.5/data/coco' });
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')).mirrors).toEqual({ coco: 'http://10.0.0.5/data/coco' });
    // A new service (the next start) reads it back.
    expect(service({}, dir).settings.mirror('coco')).toBe('http://10.0.0.5/data/coco');
    await expect(settings.setMirror('egoqa', 'http://10.0.0.5/x')).rejects.toThrow(
      /egoqa takes no mirror: it comes from Hugging Face, which follows the Hugging Face endpoint/,
    );
    await expect(settings.setMirror('ssv2', 'http://10.0.0.5/x')).rejects.toThrow(/ssv2 takes no mirror: it is fetched by hand/);
    await expect(settings.setMirror('nope', 'http://10.0.0.5/x')).rejects.toThrow(/unknown source "nope"/);
    expect((await settings.setMirror('coco', null)).mirrors).toEqual({});
  });
});
