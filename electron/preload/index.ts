/**
 * The preload: exposes `window.app` (see `shared/ipc.ts`, built by `createAppBridge.ts`) and
 * nothing else. It runs sandboxed, so it is bundled to one CommonJS file; it never hands
 * `ipcRenderer`, the IPC event or Node to the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { appBridgeKey, appVersionFromArguments } from '../../shared/ipc.js';
import { createAppBridge } from './createAppBridge.js';

const bridge = createAppBridge(appVersionFromArguments(process.argv), {
  invoke: (channel, ...args) => ipcRenderer.invoke(channel, ...args),
  subscribe(channel, listener) {
    const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, forward);
    return () => void ipcRenderer.removeListener(channel, forward);
  },
});

contextBridge.exposeInMainWorld(appBridgeKey, bridge);
