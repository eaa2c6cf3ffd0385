import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseEngineRuntime, ENGINE_NODE_RECORD, PACKAGED_NODE_DIR, type RuntimeProbe } from './engine-runtime';

const appDir = '/home/r/vc2-media-manager';
const probe = (over: Partial<RuntimeProbe> & { files?: Record<string, string> }): RuntimeProbe => {
  const files = over.files ?? {};
  return {
    electron: undefined,
    packaged: false,
    resourcesPath: undefined,
    appDir,
    env: {},
    platform: 'linux',
    exists: (p) => p in files,
    read: (p) => files[p] ?? null,
    ...over,
  };
};

describe('chooseEngineRuntime (which Node loads better-sqlite3)', () => {
  it('plain Node — the CLI, the web host, the tests — runs the engine in a worker thread on its own Node', () => {
    expect(chooseEngineRuntime(probe({}))).toEqual({ kind: 'thread' });
  });

  it('Electron from a checkout runs it as a child process on the Node that built node_modules', () => {
    const record = join(appDir, ENGINE_NODE_RECORD);
    const node = '/home/r/vc2-media-manager/.tools/node_modules/node/bin/node';
    expect(chooseEngineRuntime(probe({ electron: '45.5.0', files: { [record]: node, [node]: '' } }))).toEqual({ kind: 'process', node, from: record });
  });

  it('npm start names its own Node (VC2M_ENGINE_NODE), which wins over the record', () => {
    const record = join(appDir, ENGINE_NODE_RECORD);
    const runtime = chooseEngineRuntime(
      probe({ electron: '45.5.0', env: { VC2M_ENGINE_NODE: '/usr/local/bin/node' }, files: { '/usr/local/bin/node': '', [record]: '/x' } }),
    );
    expect(runtime).toEqual({ kind: 'process', node: '/usr/local/bin/node', from: 'VC2M_ENGINE_NODE' });
  });

  it('an installed app uses the Node its installer carries, node.exe on Windows', () => {
    const linux = join('/opt/VC2 Media Manager/resources', PACKAGED_NODE_DIR, 'node');
    expect(
      chooseEngineRuntime(probe({ electron: '45.5.0', packaged: true, resourcesPath: '/opt/VC2 Media Manager/resources', files: { [linux]: '' } })),
    ).toEqual({
      kind: 'process',
      node: linux,
      from: 'the installer',
    });
    const windows = join('C:/Program Files/VC2/resources', PACKAGED_NODE_DIR, 'node.exe');
    expect(
      chooseEngineRuntime(
        probe({ electron: '45.5.0', packaged: true, resourcesPath: 'C:/Program Files/VC2/resources', platform: 'win32', files: { [windows]: '' } }),
      ),
    ).toMatchObject({ kind: 'process', node: windows });
  });

  it('an installed app ignores VC2M_ENGINE_NODE: the environment does not choose a binary to run as its child', () => {
    const node = join('/opt/app/resources', PACKAGED_NODE_DIR, 'node');
    expect(
      chooseEngineRuntime(
        probe({
          electron: '45.5.0',
          packaged: true,
          resourcesPath: '/opt/app/resources',
          env: { VC2M_ENGINE_NODE: '/tmp/evil' },
          files: { [node]: '', '/tmp/evil': '' },
        }),
      ),
    ).toEqual({ kind: 'process', node, from: 'the installer' });
  });

  it('says what to do when there is no Node to run the engine on, never guessing one', () => {
    expect(chooseEngineRuntime(probe({ electron: '45.5.0' }))).toEqual({
      kind: 'unavailable',
      reason: expect.stringMatching(/no Node is recorded for the engine .*\.vc2-engine-node is missing\); run npm start/),
    });
    const record = join(appDir, ENGINE_NODE_RECORD);
    expect(chooseEngineRuntime(probe({ electron: '45.5.0', files: { [record]: '/gone/node' } }))).toMatchObject({
      kind: 'unavailable',
      reason: expect.stringMatching(/\/gone\/node.* is gone; run npm start again/),
    });
    expect(chooseEngineRuntime(probe({ electron: '45.5.0', env: { VC2M_ENGINE_NODE: '/nope' } }))).toMatchObject({
      kind: 'unavailable',
      reason: expect.stringContaining('/nope'),
    });
    expect(chooseEngineRuntime(probe({ electron: '45.5.0', packaged: true, resourcesPath: '/opt/app/resources' }))).toMatchObject({
      kind: 'unavailable',
      reason: expect.stringMatching(/reinstall the app/),
    });
  });
});
