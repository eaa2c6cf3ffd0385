import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test as base, expect, type Locator, type Page } from '@playwright/test';

export interface HostProcess {
  url: string;
  origin: string;
  token: string;
  /** Posts to the engine like the renderer does, for assertions on state rather than on pixels. */
  call(method: string, args?: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>;
  /** Stops the host process (SIGTERM, the way Ctrl+C would) and starts a new one on the same settings folder. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts `npm run serve` (the built web host) on a free port and reads the URL it prints. */
async function launch(configDir: string, home: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [resolve('dist/main/web-host.js'), '--port', '0'], {
    env: { PATH: process.env.PATH, HOME: home, VC2M_CONFIG_DIR: configDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((done, fail) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = /web host: (http:\/\/\S+)/.exec(output);
      if (match?.[1]) done(match[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => fail(new Error(`web host exited (${code}) before printing its URL:\n${output}`)));
  });
  return { child, url };
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null) return done();
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
}

export const test = base.extend<{ workDir: string; host: HostProcess }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this destructuring.
  workDir: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'vc2-e2e-'));
    await use(dir);
    rmSync(dir, { recursive: true, force: true });
  },
  host: async ({ workDir }, use) => {
    const configDir = join(workDir, 'config');
    let current = await launch(configDir, workDir);
    const state = () => {
      const url = new URL(current.url);
      return { url: current.url, origin: url.origin, token: url.searchParams.get('token') ?? '' };
    };
    const host: HostProcess = {
      get url() {
        return state().url;
      },
      get origin() {
        return state().origin;
      },
      get token() {
        return state().token;
      },
      async call(method, args = {}) {
        type Reply = Awaited<ReturnType<HostProcess['call']>>;
        const response = await fetch(`${state().origin}/api/${method}`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${state().token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify(args),
        });
        return (await response.json()) as Reply;
      },
      async restart() {
        await stopChild(current.child);
        current = await launch(configDir, workDir);
      },
      stop: () => stopChild(current.child),
    };
    await use(host);
    await host.stop();
  },
});

export { expect };

export async function screenshot(page: Page, name: string, only?: Locator): Promise<void> {
  // Transitions are finished first, so bars show the values they are moving to.
  const options = { path: join('test-results', 'screenshots', `${name}.png`), animations: 'disabled' } as const;
  // A region of a long page alone, so what the test is about is readable in the picture.
  if (only) await only.screenshot(options);
  else await page.screenshot({ ...options, fullPage: true });
}

/** A new library at `lib` with the annotation tree under `annotations` ingested (waits for the import to finish). */
export async function libraryWith(host: HostProcess, lib: string, annotations: string): Promise<void> {
  await host.call('library.create', { path: lib });
  const imported = await host.call('annotations.import', { path: annotations });
  await expect
    .poll(async () => ((await host.call('jobs.get', { id: (imported.value as { id: number }).id })).value as { state: string }).state)
    .toBe('finished');
}
