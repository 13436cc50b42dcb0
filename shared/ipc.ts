/**
 * The desktop app's bridge between the main process and the renderer: the `window.app` object the
 * preload exposes, and every channel that crosses it.
 *
 * The bridge carries shell things only: the cluster registry (profiles, and sign-in whose secrets
 * the main process keeps in the OS keychain and never hands back), notifications and files.
 * Cluster data never crosses it: the renderer talks to agents over HTTP/WebSocket through the
 * gateway (`shared/gateway.ts`), as the web console talks to the agent that served it.
 *
 * Every channel is an `ipcRenderer.invoke` whose handler in the main process checks the sender's
 * frame, validates the arguments with zod, and answers an `IpcResult` — never throws across the
 * bridge, so the renderer gets the main process's message, not Electron's wrapper around it.
 * The version travels as a renderer-process argument (`appVersionArgument`), read synchronously.
 */
import type { ClusterInput, ClusterView } from './clusters.js';

/** The key under which the preload exposes the bridge: `window.app`. */
export const appBridgeKey = 'app';

/** Username and password for signing in to a cluster, or for creating its first admin. */
export interface Credentials {
  username: string;
  password: string;
}

/** The cluster registry as the renderer may use it. Every method rejects with the main process's message. */
export interface ClustersBridge {
  list(): Promise<ClusterView[]>;
  add(input: ClusterInput): Promise<ClusterView>;
  update(id: string, input: ClusterInput): Promise<ClusterView>;
  /** Forgets the profile and deletes its secrets from the keychain. */
  remove(id: string): Promise<void>;
  /** Signs in through the gateway; the refresh token goes to the keychain, never to the renderer. */
  signIn(id: string, credentials: Credentials): Promise<ClusterView>;
  /** Creates the first admin of an agent that waits for setup (This computer), then signs in as it. */
  setUp(id: string, credentials: Credentials): Promise<ClusterView>;
  /** Keeps an API key in the keychain and uses it for every request to the cluster. */
  useApiKey(id: string, apiKey: string): Promise<ClusterView>;
  /** Revokes the session (or forgets the key) and deletes it from the keychain. */
  signOut(id: string): Promise<ClusterView>;
  /** Keeps the passphrase of the cluster's SSH private key in the keychain. */
  setKeyPassphrase(id: string, passphrase: string): Promise<ClusterView>;
  /** Trusts the host key shown in `pendingHostKey`; `fingerprint` must match it. */
  trustHostKey(id: string, fingerprint: string): Promise<ClusterView>;
  /** Writes every profile (no secrets) to a file the user picks; `path` is null when they cancel. */
  exportProfiles(): Promise<{ path: string | null }>;
  /** Adds the profiles of a file the user picks; `imported` is 0 when they cancel. */
  importProfiles(): Promise<{ imported: number }>;
  /** Calls `listener` whenever a profile, credential or health changes; returns the unsubscribe. */
  onChange(listener: (clusters: ClusterView[]) => void): () => void;
}

/** What `window.app` holds. Absent in the web console, where no preload runs. */
export interface AppBridge {
  /** The desktop app's version, as in package.json, e.g. `0.1.0`. */
  readonly version: string;
  readonly clusters: ClustersBridge;
}

/** Request arguments and response of each invoke channel. */
export interface IpcChannels {
  'clusters:list': { args: []; result: ClusterView[] };
  'clusters:add': { args: [input: ClusterInput]; result: ClusterView };
  'clusters:update': { args: [id: string, input: ClusterInput]; result: ClusterView };
  'clusters:remove': { args: [id: string]; result: null };
  'clusters:signIn': { args: [id: string, credentials: Credentials]; result: ClusterView };
  'clusters:setUp': { args: [id: string, credentials: Credentials]; result: ClusterView };
  'clusters:useApiKey': { args: [id: string, apiKey: string]; result: ClusterView };
  'clusters:signOut': { args: [id: string]; result: ClusterView };
  'clusters:setKeyPassphrase': { args: [id: string, passphrase: string]; result: ClusterView };
  'clusters:trustHostKey': { args: [id: string, fingerprint: string]; result: ClusterView };
  'clusters:export': { args: []; result: { path: string | null } };
  'clusters:import': { args: []; result: { imported: number } };
}
export type IpcChannel = keyof IpcChannels;

/** The event channel on which the main process pushes the cluster list after any change. */
export const clustersChangedChannel = 'clusters:changed';

/** What every invoke channel answers: the value, or the message to show. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; message: string };

/** The renderer-process argument that carries the app's version, e.g. `--switchyard-version=0.1.0`. */
export const appVersionArgumentPrefix = '--switchyard-version=';

/** The argument the main process adds for `version`. */
export function appVersionArgument(version: string): string {
  return `${appVersionArgumentPrefix}${version}`;
}

/**
 * The version carried by the renderer process's arguments, or `unknown` when no argument carries
 * one (the preload then still exposes a well-formed bridge).
 */
export function appVersionFromArguments(argv: readonly string[]): string {
  const argument = argv.find((value) => value.startsWith(appVersionArgumentPrefix));
  const version = argument?.slice(appVersionArgumentPrefix.length);
  return version ? version : 'unknown';
}
