/**
 * The one secure window factory: every `BrowserWindow` of the desktop app is built here, with the
 * preferences of `windowPreferences.ts` and the policies of `navigationPolicy.ts` wired in.
 *
 * A window shows the renderer served by the gateway (`startGateway`): the per-launch secret is set
 * as an HttpOnly, SameSite=Strict session cookie for the gateway's origin before the page loads,
 * so the page's requests to `/c/<cluster>/…` carry it while its scripts can never read it. The
 * window may navigate only within that origin.
 */
import { BrowserWindow, shell, type Session } from 'electron';
import { gatewaySecretCookie } from '../../shared/gateway.js';
import { externalLinkHosts, isAllowedExternalLink, isAppNavigation, isPermissionAllowed } from './navigationPolicy.js';
import { windowPreferences } from './windowPreferences.js';

export interface CreateWindowOptions {
  /** The gateway the window loads: its origin (`http://127.0.0.1:<port>`) and this launch's secret. */
  gateway: { origin: string; secret: string };
  /** Absolute path of the bundled preload script. */
  preloadPath: string;
  /** The app's version, shown by the renderer. */
  appVersion: string;
  /** Hosts whose `https:` links open in the user's browser. Default: `externalLinkHosts`. */
  linkHosts?: readonly string[];
}

/** Deny every permission request and check that is not allowlisted, for all pages of a session. */
function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => callback(isPermissionAllowed(permission)));
  session.setPermissionCheckHandler((_contents, permission) => isPermissionAllowed(permission));
  session.setDevicePermissionHandler(() => false);
}

export async function createWindow(options: CreateWindowOptions): Promise<BrowserWindow> {
  const linkHosts = options.linkHosts ?? externalLinkHosts;
  const appUrl = `${options.gateway.origin}/`;
  const window = new BrowserWindow({
    title: 'Switchyard',
    width: 1280,
    height: 800,
    minWidth: 800,
    minHeight: 500,
    show: false,
    webPreferences: windowPreferences({ preloadPath: options.preloadPath, appVersion: options.appVersion }),
  });
  const contents = window.webContents;
  denyPermissions(contents.session);

  const stayOnApp = (event: { url: string; preventDefault(): void }) => {
    if (!isAppNavigation(event.url, appUrl)) event.preventDefault();
  };
  contents.on('will-navigate', stayOnApp);
  contents.on('will-redirect', stayOnApp);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalLink(url, linkHosts)) void shell.openExternal(url);
    return { action: 'deny' };
  });

  // A session cookie (no expiry): it dies with the app, like the secret it carries.
  await contents.session.cookies.set({ url: options.gateway.origin, name: gatewaySecretCookie, value: options.gateway.secret, httpOnly: true, sameSite: 'strict' });
  window.once('ready-to-show', () => window.show());
  await window.loadURL(appUrl);
  return window;
}
