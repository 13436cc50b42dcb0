/**
 * The desktop app's bridge between the main process and the renderer: the `window.app` object the
 * preload exposes, and every way data crosses into it.
 *
 * The bridge carries shell things only (version now; notifications, the OS keychain prompt and
 * file dialogs later). Cluster data never crosses it: the renderer talks to agents over
 * HTTP/WebSocket, in the desktop app and in the web console alike.
 *
 * Today nothing crosses over an IPC channel. The version travels as a command-line argument the
 * main process adds to the renderer process (`webPreferences.additionalArguments`), so the
 * sandboxed preload can read it synchronously without a round trip. When a real channel is added,
 * declare it here (name, request and response types) and check its sender in the main process.
 */

/** The key under which the preload exposes the bridge: `window.app`. */
export const appBridgeKey = 'app';

/** What `window.app` holds. Absent in the web console, where no preload runs. */
export interface AppBridge {
  /** The desktop app's version, as in package.json, e.g. `0.1.0`. */
  readonly version: string;
}

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
