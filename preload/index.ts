import { contextBridge, ipcRenderer } from 'electron';
import { buildMethodTree } from '../shared/api/bridge';
import { eventChannel, requestChannel } from '../shared/api/channels';
import { type EventName, isEventName } from '../shared/api/events';

// The renderer's only door to the engine: one function per contract method and a filtered event subscription.
// ipcRenderer itself never crosses the bridge, and listeners receive the payload without the IPC event.
const methods = buildMethodTree((method) => (args?: unknown) => ipcRenderer.invoke(requestChannel(method), args ?? {}));

contextBridge.exposeInMainWorld('vc2', {
  ...methods,
  on(event: EventName, listener: (payload: unknown) => void): () => void {
    if (!isEventName(event)) throw new Error(`unknown event ${String(event)}`);
    const channel = eventChannel(event);
    const wrapped = (_event: unknown, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => ipcRenderer.removeListener(channel, wrapped);
  },
});
