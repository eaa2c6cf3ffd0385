import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { displayMissing, findElectronBinary } from '../../main/lib/electron-binary';
import { buildMethodTree } from '../../shared/api/bridge';

const found = findElectronBinary();
const skipReason = 'reason' in found ? found.reason : displayMissing();

// The bridge the contract defines: one object per domain with its verbs, plus `on`. Derived, never listed, so a
// method added to the contract is expected here without touching this file.
const contractTree = buildMethodTree(() => 'function');
const expectedBridge = Object.fromEntries(
  [...Object.entries(contractTree).map(([domain, verbs]) => [domain, Object.keys(verbs).sort()]), ['on', 'function']].sort(([a], [b]) =>
    String(a).localeCompare(String(b)),
  ),
);

test.describe('Electron app', () => {
  // biome-ignore lint/suspicious/noSkippedTests: documented skip — this suite needs the real Electron binary and a display.
  test.skip(skipReason !== null, `Electron smoke test skipped: ${skipReason}`);

  test('opens a hardened window whose bridge is the contract, and its engine creates a library', async () => {
    const home = mkdtempSync(join(tmpdir(), 'vc2-electron-'));
    const app = await electron.launch({
      args: ['.'],
      env: { ...process.env, VC2M_CONFIG_DIR: join(home, 'config') },
      ...('binary' in found ? { executablePath: found.binary } : {}),
    });
    try {
      const window = await app.firstWindow();
      window.on('pageerror', (error) => console.error('renderer error:', error));
      window.on('console', (message) => console.log('renderer:', message.text()));
      await expect(window.getByRole('heading', { level: 1, name: 'Library' })).toBeVisible();
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.webContents.getURL())).toBe('vc2-app://app/index.html');
      // No Node in the page, and the bridge exposes exactly the contract's domains and verbs plus `on`.
      const surface = await window.evaluate(() => {
        const bridge = (globalThis as { vc2?: Record<string, unknown> }).vc2 ?? {};
        const shape = Object.fromEntries(
          Object.entries(bridge)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([key, value]) => [key, typeof value === 'function' ? 'function' : Object.keys(value as object).sort()]),
        );
        return {
          process: typeof (globalThis as { process?: unknown }).process,
          require: typeof (globalThis as { require?: unknown }).require,
          shape,
        };
      });
      expect(surface).toEqual({ process: 'undefined', require: 'undefined', shape: expectedBridge });
      // The engine is alive behind the bridge: it creates a library and reports itself as the desktop host.
      const path = join(home, 'lib');
      const created = await window.evaluate(
        (p) => (globalThis as unknown as { vc2: { library: { create(a: { path: string }): Promise<unknown> } } }).vc2.library.create({ path: p }),
        path,
      );
      expect(created).toMatchObject({ ok: true, value: { path } });
      const info = await window.evaluate(() => (globalThis as unknown as { vc2: { app: { info(): Promise<unknown> } } }).vc2.app.info());
      expect(info).toMatchObject({ ok: true, value: { host: 'electron' } });
    } finally {
      await app.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
