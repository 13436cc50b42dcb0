/**
 * The desktop app's gateway: a loopback HTTP/WebSocket server in the main process that serves the
 * renderer and routes `/c/<clusterId>/…` to each cluster's agent, attaching the cluster's
 * credentials on the way. The renderer's typed client uses `clusterBaseUrl` as its base URL, so
 * the same requests it sends to the agent that served it in the web console go through the
 * gateway in the desktop app.
 */

/** The per-launch secret's cookie (HttpOnly, SameSite=Strict), set by the main process on the window's session. */
export const gatewaySecretCookie = 'switchyard-gateway';

/** The same secret as a header, for callers that are not the window (tests, the main process itself). */
export const gatewaySecretHeader = 'x-switchyard-gateway';

/** The path under which the gateway routes to one cluster, e.g. `/c/this-computer`. */
export function clusterBasePath(clusterId: string): string {
  return `/c/${encodeURIComponent(clusterId)}`;
}

/** The base URL of one cluster behind the gateway at `gatewayOrigin`, e.g. `http://127.0.0.1:41234/c/prod`. */
export function clusterBaseUrl(gatewayOrigin: string, clusterId: string): string {
  return `${gatewayOrigin.replace(/\/+$/, '')}${clusterBasePath(clusterId)}`;
}
