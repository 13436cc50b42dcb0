/**
 * Where a desktop window may go: pure decisions the window factory applies to Electron's
 * navigation and new-window events, kept free of `electron` so they are unit-tested.
 *
 * - The window stays on the app: it may load only the app's own origin — the gateway's
 *   `http://127.0.0.1:<port>` that serves the renderer (`createWindow`) — or, for an app document
 *   loaded from a `file:` URL, that same file. The renderer routes inside the page, which fires
 *   no navigation event.
 * - New windows are never opened. A link to an allowlisted `https:` host opens in the user's
 *   browser instead; every other link is dropped.
 */

/**
 * Hosts whose `https:` links open in the user's browser. Exact host names: a subdomain is not
 * implied. Default: the project site and GitHub (issues, releases).
 */
export const externalLinkHosts: readonly string[] = ['switchyard.dev', 'docs.switchyard.dev', 'github.com'];

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** Whether `targetUrl` is the app's own document, which `appUrl` loaded. */
export function isAppNavigation(targetUrl: string, appUrl: string): boolean {
  const target = parse(targetUrl);
  const app = parse(appUrl);
  if (!target || !app || target.protocol !== app.protocol) return false;
  if (app.protocol === 'file:') return target.pathname === app.pathname;
  if (app.protocol === 'http:' || app.protocol === 'https:') return target.origin === app.origin;
  return false;
}

/** Whether `url` may be opened in the user's browser: `https:`, no credentials, an allowlisted host. */
export function isAllowedExternalLink(url: string, hosts: readonly string[] = externalLinkHosts): boolean {
  const link = parse(url);
  if (!link || link.protocol !== 'https:') return false;
  if (link.username !== '' || link.password !== '') return false;
  return hosts.includes(link.hostname);
}

/**
 * Permissions (camera, notifications, clipboard reads, …) a page may be granted. None: the
 * desktop shell's own notifications come from the main process. Add one only with a reason.
 */
export const allowedPermissions: readonly string[] = [];

export function isPermissionAllowed(permission: string): boolean {
  return allowedPermissions.includes(permission);
}
