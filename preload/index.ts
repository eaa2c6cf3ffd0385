import { contextBridge, ipcRenderer } from 'electron';
import { buildMethodTree } from '../shared/api/bridge';
import { DESKTOP_PICK_PATHS_CHANNEL, DESKTOP_REVEAL_CHANNEL, eventChannel, requestChannel } from '../shared/api/channels';
import type { DesktopBridge } from '../shared/api/desktop';
import { type EventName, isEventName } from '../shared/api/events';

// The renderer's only door to the engine: one function per contract method and a filtered event subscription.
// ipcRenderer itself never crosses the bridge, and listeners receive the payload without the IPC event.
const methods = buildMethodTree((method) => (args?: unknown) => ipcRenderer.invoke(requestChannel(method), args ?? {}));

const desktop: DesktopBridge = {
  pickPaths: (args) => ipcRenderer.invoke(DESKTOP_PICK_PATHS_CHANNEL, args),
  reveal: (args) => ipcRenderer.invoke(DESKTOP_REVEAL_CHANNEL, args),
};

contextBridge.exposeInMainWorld('vc2', {
  ...methods,
  desktop,
  on(event: EventName, listener: (payload: unknown) => void): () => void {
    if (!isEventName(event)) throw new Error(`unknown event ${String(event)}`);
    const channel = eventChannel(event);
    const wrapped = (_event: unknown, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => ipcRenderer.removeListener(channel, wrapped);
  },
});
