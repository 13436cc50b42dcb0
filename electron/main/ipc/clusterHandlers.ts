/**
 * What each invoke channel of `shared/ipc.ts` does, as plain functions from the renderer's
 * arguments to an `IpcResult` — no `electron` import, so the whole path from the preload's
 * bridge to the `ClusterService` runs in tests (`registerIpcHandlers.ts` is the Electron glue).
 *
 * Every handler validates its arguments (`ipcArguments.ts`) and never throws: a bad argument or a
 * failed call answers `{ ok: false, message }` with the message the user should read. Secrets go
 * one way only: the setup token of This computer is looked up here, in the main process
 * (`setupToken`), never sent by or to the renderer.
 */
import type { ClusterService } from '../clusters/ClusterService.js';
import type { IpcChannel, IpcChannels, IpcResult } from '../../../shared/ipc.js';
import { describeArgumentProblem, ipcArguments } from './ipcArguments.js';

export interface ClusterHandlerDependencies {
  service: ClusterService;
  /** The one-time setup token of the agent behind cluster `id`, when the app started it and it waits for setup. */
  setupToken: (id: string) => string | null;
  /** The save dialog of `clusters:export`: a path, or null when the user cancelled. */
  chooseExportPath: () => Promise<string | null>;
  /** The open dialog of `clusters:import`: a path, or null when the user cancelled. */
  chooseImportPath: () => Promise<string | null>;
}

export type ChannelHandler<C extends IpcChannel> = (args: readonly unknown[]) => Promise<IpcResult<IpcChannels[C]['result']>>;
export type ClusterHandlers = { [C in IpcChannel]: ChannelHandler<C> };

type Arguments<C extends IpcChannel> = (typeof ipcArguments)[C]['_zod']['output'];
type Implementation<C extends IpcChannel> = (...args: Arguments<C>) => Promise<IpcChannels[C]['result']>;

function handler<C extends IpcChannel>(channel: C, implementation: Implementation<C>): ChannelHandler<C> {
  return async (args) => {
    const parsed = ipcArguments[channel].safeParse(args);
    if (!parsed.success) return { ok: false, message: describeArgumentProblem(channel, parsed.error) };
    try {
      return { ok: true, value: await implementation(...(parsed.data as Arguments<C>)) };
    } catch (error) {
      return { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
  };
}

export function clusterHandlers({ service, setupToken, chooseExportPath, chooseImportPath }: ClusterHandlerDependencies): ClusterHandlers {
  return {
    'clusters:list': handler('clusters:list', async () => service.list()),
    'clusters:add': handler('clusters:add', (input) => service.add(input)),
    'clusters:update': handler('clusters:update', (id, input) => service.update(id, input)),
    'clusters:remove': handler('clusters:remove', async (id) => {
      await service.remove(id);
      return null;
    }),
    'clusters:signIn': handler('clusters:signIn', (id, credentials) => service.signIn(id, credentials)),
    'clusters:setUp': handler('clusters:setUp', (id, credentials) => {
      const token = setupToken(id);
      if (!token) throw new Error(`cluster ${id} is not waiting for its first admin: sign in instead`);
      return service.setUp(id, credentials, token);
    }),
    'clusters:useApiKey': handler('clusters:useApiKey', (id, apiKey) => service.useApiKey(id, apiKey)),
    'clusters:signOut': handler('clusters:signOut', (id) => service.signOut(id)),
    'clusters:setKeyPassphrase': handler('clusters:setKeyPassphrase', (id, passphrase) => service.setKeyPassphrase(id, passphrase)),
    'clusters:trustHostKey': handler('clusters:trustHostKey', (id, fingerprint) => service.trustHostKey(id, fingerprint)),
    'clusters:export': handler('clusters:export', async () => {
      const path = await chooseExportPath();
      if (path !== null) await service.exportProfiles(path);
      return { path };
    }),
    'clusters:import': handler('clusters:import', async () => {
      const path = await chooseImportPath();
      return { imported: path === null ? 0 : await service.importProfiles(path) };
    }),
  };
}
