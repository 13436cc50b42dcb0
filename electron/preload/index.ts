/**
 * The preload: exposes `window.app` (see `shared/ipc.ts`) and nothing else. It runs sandboxed, so
 * it is bundled to one CommonJS file; it never hands `ipcRenderer` or Node to the page.
 */
import { contextBridge } from 'electron';
import { appBridgeKey, appVersionFromArguments, type AppBridge } from '../../shared/ipc.js';

const bridge: AppBridge = {
  version: appVersionFromArguments(process.argv),
};

contextBridge.exposeInMainWorld(appBridgeKey, bridge);
