import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../tests/fixtures/temp-dir';
import { STARTUP_FAILED_CODE, STARTUP_FAILED_PREFIX, WINDOW_READY_LINE } from '../lib/desktop-start';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGTERM');
});

/** Runs a built entry and collects its output until `until` matches or it exits. */
function run(entry: string, args: string[], env: NodeJS.ProcessEnv, until: RegExp) {
  const child = spawn(process.execPath, [resolve('dist/main', entry), ...args], { env: { PATH: process.env.PATH, HOME: tempDir(), ...env } });
  children.push(child);
  let out = '';
  return new Promise<{ out: string; code: number | null }>((done) => {
    const check = () => until.test(out) && done({ out, code: null });
    child.stdout.on('data', (d) => {
      out += d;
      check();
    });
    child.stderr.on('data', (d) => {
      out += d;
      check();
    });
    child.on('exit', (code) => done({ out, code }));
  });
}

describe('serve and start commands', () => {
  it('npm run serve prints the URL with its token and the SSH tunnel line', async () => {
    const { out } = await run('web-host.js', ['--port', '0'], { VC2M_CONFIG_DIR: tempDir() }, /ssh -N -L/);
    const url = /http:\/\/127\.0\.0\.1:(\d+)\/\?token=([\w-]{20,})/.exec(out);
    expect(url).not.toBeNull();
    expect(out).toContain(`ssh -N -L ${url?.[1]}:127.0.0.1:${url?.[1]}`);
    expect((await fetch(url?.[0] ?? '', { redirect: 'manual' })).status).toBe(303);
  });

  it('refuses a non-loopback address that did not come from --host', async () => {
    const { out, code } = await run('web-host.js', ['--port', '0'], { VC2M_CONFIG_DIR: tempDir(), VC2M_HOST: '0.0.0.0' }, /never/);
    expect(code).toBe(2);
    expect(out).toMatch(/refusing to listen on 0\.0\.0\.0/);
  });

  it('npm start says in one line why Electron did not start, then serves the UI', async () => {
    const { out } = await run('start.js', ['--port', '0'], { VC2M_CONFIG_DIR: tempDir() }, /web host: http/);
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^Electron not started: .+; serving the same app in your browser instead\.$/);
    expect(out).toMatch(/web host: http:\/\/127\.0\.0\.1:\d+\/\?token=/);
  });

  describe('npm start with an Electron binary that cannot open the window (a stand-in binary in ELECTRON_OVERRIDE_DIST_PATH)', () => {
    /** A directory holding an `electron` shell script with this body. */
    const fakeElectron = (body: string) => {
      const dir = tempDir();
      writeFileSync(join(dir, 'electron'), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
      return dir;
    };
    const startWith = (dir: string) =>
      run('start.js', ['--port', '0'], { VC2M_CONFIG_DIR: tempDir(), ELECTRON_OVERRIDE_DIST_PATH: dir, DISPLAY: ':99' }, /web host: http|^never$/);
    const fallback = (out: string) => {
      expect(out).toMatch(/web host: http:\/\/127\.0\.0\.1:\d+\/\?token=/);
      const said = out.split('\n').filter((l) => l.startsWith('Electron not started: '));
      expect(said).toHaveLength(1);
      return said[0] ?? '';
    };

    it('missing system libraries: says so in one line and serves the UI', async () => {
      const dir = fakeElectron('echo "electron: error while loading shared libraries: libnss3.so: cannot open shared object file" >&2\nexit 127');
      const line = fallback((await startWith(dir)).out);
      expect(line).toMatch(
        /^Electron not started: Electron exited with code 127 before its window opened \(.*libnss3\.so.*\); serving the same app in your browser instead\.$/,
      );
    });

    // A Node on this machine with another ABI than node_modules' build (Debian's Node 20 beside the project's 22).
    const other = ['/usr/bin/node', '/usr/local/bin/node'].find(
      (n) => existsSync(n) && spawnSync(n, ['-p', 'process.versions.modules'], { encoding: 'utf8' }).stdout?.trim() !== process.versions.modules,
    );
    it.skipIf(!other)(
      `a binary whose Node cannot load the native build (${other ?? 'no Node with another ABI here'}): names the ABI mismatch in one line and serves the UI`,
      async () => {
        const dir = fakeElectron(`exec ${other} -e "new (require('better-sqlite3'))(':memory:')"`);
        const line = fallback((await startWith(dir)).out);
        expect(line).toMatch(
          /Electron exited with code 1 before its window opened \(its SQLite module \(better-sqlite3\) was built for NODE_MODULE_VERSION \d+, and that Node needs \d+\); serving/,
        );
      },
    );

    it("the shell's own refusal (its engine cannot start) is the reason given, in one line", async () => {
      const dir = fakeElectron(`echo "${STARTUP_FAILED_PREFIX}the engine cannot start: no Node is recorded for the engine" >&2\nexit ${STARTUP_FAILED_CODE}`);
      const line = fallback((await startWith(dir)).out);
      expect(line).toBe('Electron not started: the engine cannot start: no Node is recorded for the engine; serving the same app in your browser instead.');
    });

    it("a window that opened is the app: its exit is npm start's exit, and nothing is served", async () => {
      const dir = fakeElectron(`echo "${WINDOW_READY_LINE}"\necho "engine on $VC2M_ENGINE_NODE"\nexit 0`);
      const { out, code } = await startWith(dir);
      expect(code).toBe(0);
      expect(out).not.toMatch(/Electron not started|web host/);
      // The shell was told which Node to run its engine on: the one running npm start.
      expect(out).toContain(`engine on ${process.execPath}`);
    });

    it('an absent binary: one line and the UI', async () => {
      const line = fallback((await startWith(tempDir())).out);
      expect(line).toMatch(/^Electron not started: no Electron binary at .*electron \(ELECTRON_OVERRIDE_DIST_PATH\); serving/);
    });
  });
});
