import type { Vc2Bridge } from '../../shared/api/bridge';
import type { DesktopBridge } from '../../shared/api/desktop';
import type { ApiResult } from '../../shared/api/errors';
import type { Transport } from './types';

declare global {
  interface Window {
    vc2?: Vc2Bridge;
  }
}

/** The only module that touches window.vc2, the preload bridge. */
export function createElectronTransport(): Transport {
  const bridge = window.vc2;
  if (!bridge) throw new Error('the Electron bridge (window.vc2) is missing');
  return {
    kind: 'electron',
    call(method, args) {
      const [domain, verb] = method.split('.') as [string, string];
      const fn = (bridge as unknown as Record<string, Record<string, (a: unknown) => Promise<ApiResult<unknown>>>>)[domain]?.[verb];
      if (!fn) return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_METHOD', message: `unknown method ${method}` } });
      return fn(args);
    },
    on: (event, listener) => bridge.on(event, listener),
    onConnection(listener) {
      // IPC cannot drop like a socket: the connection is open for the life of the window.
      listener('open');
      return () => undefined;
    },
  };
}

let desktopOverride: DesktopBridge | null | undefined;

/** Tests install a desktop bridge (or none) as they install a transport. */
export function setDesktopBridge(bridge: DesktopBridge | null | undefined): void {
  desktopOverride = bridge;
}

/** The desktop shell's file picker; null in the web host (there the user types a path). */
export function desktopBridge(): DesktopBridge | null {
  return desktopOverride !== undefined ? desktopOverride : (window.vc2?.desktop ?? null);
}
