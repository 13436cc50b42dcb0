/**
 * Builds the `window.app` object (`AppBridge` of `shared/ipc.ts`) over two functions the preload
 * gets from `ipcRenderer`: `invoke` on a declared channel, and `subscribe` to the one event
 * channel. No `electron` import here, so tests drive the bridge against the real handlers.
 *
 * Each method invokes exactly its channel and unwraps the `IpcResult`: the value, or a rejection
 * with `new Error(message)` — the main process's own message, not Electron's wrapper. The page
 * gets plain functions only: never `ipcRenderer`, the event object, or a way to name a channel.
 */
import type { ClusterView } from '../../shared/clusters.js';
import { clustersChangedChannel, type AppBridge, type IpcChannel, type IpcChannels, type IpcResult } from '../../shared/ipc.js';

export interface BridgeTransport {
  invoke(channel: IpcChannel, ...args: unknown[]): Promise<unknown>;
  /** Listens on an event channel; returns the unsubscribe. */
  subscribe(channel: typeof clustersChangedChannel, listener: (payload: unknown) => void): () => void;
}

export function createAppBridge(version: string, transport: BridgeTransport): AppBridge {
  async function call<C extends IpcChannel>(channel: C, ...args: IpcChannels[C]['args']): Promise<IpcChannels[C]['result']> {
    const result = (await transport.invoke(channel, ...args)) as IpcResult<IpcChannels[C]['result']>;
    if (!result.ok) throw new Error(result.message);
    return result.value;
  }

  return Object.freeze({
    version,
    clusters: Object.freeze({
      list: () => call('clusters:list'),
      add: (input) => call('clusters:add', input),
      update: (id, input) => call('clusters:update', id, input),
      remove: async (id) => {
        await call('clusters:remove', id);
      },
      signIn: (id, credentials) => call('clusters:signIn', id, credentials),
      setUp: (id, credentials) => call('clusters:setUp', id, credentials),
      useApiKey: (id, apiKey) => call('clusters:useApiKey', id, apiKey),
      signOut: (id) => call('clusters:signOut', id),
      setKeyPassphrase: (id, passphrase) => call('clusters:setKeyPassphrase', id, passphrase),
      trustHostKey: (id, fingerprint) => call('clusters:trustHostKey', id, fingerprint),
      exportProfiles: () => call('clusters:export'),
      importProfiles: () => call('clusters:import'),
      onChange: (listener) => {
        if (typeof listener !== 'function') throw new TypeError('onChange takes a function');
        return transport.subscribe(clustersChangedChannel, (clusters) => listener(clusters as ClusterView[]));
      },
    } satisfies AppBridge['clusters']),
  });
}
