import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import { FileSecretStore } from '../settings/file-secret-store';
import { SettingsService } from '../settings/settings-service';
import { DownloadsWatch } from './downloads-watch';
import type { ManualMatch } from './manual-matches';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the Downloads watch', () => {
  it('is off until the user turns it on; offers a file once it stops growing; forgets it once it is gone', async () => {
    const config = tempDir();
    const downloads = tempDir();
    const settings = new SettingsService({ configDir: config, secrets: new FileSecretStore(config), env: {}, warn: () => undefined });
    const events: ManualMatch[][] = [];
    const watch = new DownloadsWatch(settings, (found) => events.push(found), 30);
    try {
      writeFileSync(join(downloads, 'cc_sbu_align.zip'), 'part of it');
      await watch.configure();
      await sleep(120);
      expect(watch.found()).toEqual([]);

      await settings.update({ watchDownloads: true, downloadsFolder: downloads });
      await watch.configure();
      // Still growing: the size differs between looks, so nothing is offered.
      for (let i = 0; i < 4; i++) {
        appendFileSync(join(downloads, 'cc_sbu_align.zip'), ' more');
        await sleep(20);
      }
      expect(watch.found()).toEqual([]);
      await sleep(150);
      expect(watch.found()).toEqual([expect.objectContaining({ sourceId: 'minigpt4', path: join(downloads, 'cc_sbu_align.zip') })]);
      expect(events.at(-1)).toHaveLength(1);

      await settings.update({ watchDownloads: false });
      await watch.configure();
      expect(watch.found()).toEqual([]);
      expect(events.at(-1)).toEqual([]);
    } finally {
      watch.stop();
    }
  });
});
