/**
 * The Electron glue of the IPC layer: one `ipcMain.handle` per invoke channel, each refusing a
 * sender that is not the main frame of one of the app's windows showing the gateway's origin
 * (`isTrustedSender`), and the push of the cluster list to every window after a change.
 */
import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { clustersChangedChannel, type IpcChannel, type IpcResult } from '../../../shared/ipc.js';
import type { ClusterView } from '../../../shared/clusters.js';
import type { ClusterHandlers } from './clusterHandlers.js';
import { isTrustedSender } from './isTrustedSender.js';

export interface IpcRegistration {
  /** Sends the cluster list to every window of the app. */
  pushClusters(clusters: ClusterView[]): void;
  /** Removes every handler. */
  dispose(): void;
}

export function registerIpcHandlers(handlers: ClusterHandlers, gatewayOrigin: string, windows: () => readonly BrowserWindow[]): IpcRegistration {
  const trusted = (event: IpcMainInvokeEvent): boolean => {
    const ours = windows().some((window) => !window.isDestroyed() && window.webContents === event.sender);
    return ours && event.senderFrame !== null && event.senderFrame === event.sender.mainFrame && isTrustedSender(event.senderFrame.url, gatewayOrigin);
  };
  const channels = Object.keys(handlers) as IpcChannel[];
  for (const channel of channels) {
    ipcMain.handle(channel, async (event, ...args: unknown[]): Promise<IpcResult<unknown>> => {
      if (!trusted(event)) return { ok: false, message: `${channel} refused: the call did not come from the app's own page` };
      return handlers[channel](args);
    });
  }
  return {
    pushClusters(clusters) {
      for (const window of windows()) if (!window.isDestroyed()) window.webContents.send(clustersChangedChannel, clusters);
    },
    dispose() {
      for (const channel of channels) ipcMain.removeHandler(channel);
    },
  };
}
