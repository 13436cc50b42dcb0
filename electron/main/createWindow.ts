/**
 * The one secure window factory: every `BrowserWindow` of the desktop app is built here, with the
 * preferences of `windowPreferences.ts` and the policies of `navigationPolicy.ts` wired in.
 */
import { BrowserWindow, shell, type Session } from 'electron';
import { externalLinkHosts, isAllowedExternalLink, isAppNavigation, isPermissionAllowed } from './navigationPolicy.js';
import { windowPreferences } from './windowPreferences.js';

export interface CreateWindowOptions {
  /** The app document to load: the dev server's URL or `file://…/out/renderer/index.html`. */
  url: string;
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

  contents.on('will-navigate', (event) => {
    if (!isAppNavigation(event.url, options.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalLink(url, linkHosts)) void shell.openExternal(url);
    return { action: 'deny' };
  });

  window.once('ready-to-show', () => window.show());
  await window.loadURL(options.url);
  return window;
}
