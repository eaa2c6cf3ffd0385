import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../tests/fixtures/temp-dir';

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
});
