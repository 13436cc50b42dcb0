/**
 * The web preferences of every desktop window, as a plain object: the security settings DESIGN.md
 * asks for, in one place, testable without the Electron binary (only types come from `electron`).
 * `test/electron/windowPreferences.test.ts` snapshots them, so weakening one fails CI.
 */
import type { WebPreferences } from 'electron';
import { appVersionArgument } from '../../shared/ipc.js';

export interface WindowPreferencesOptions {
  /** Absolute path of the bundled preload script (`out/preload/index.cjs`). */
  preloadPath: string;
  /** The app's version, handed to the preload for `window.app.version`. */
  appVersion: string;
}

export function windowPreferences(options: WindowPreferencesOptions): WebPreferences {
  return {
    preload: options.preloadPath,
    // The renderer is a web page: no Node, its own JavaScript world, an OS-sandboxed process.
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    // Same-origin policy and mixed-content blocking stay on; no Chromium experiments.
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    // No <webview>, no navigating by dropping a file or link onto the window.
    webviewTag: false,
    navigateOnDragDrop: false,
    // A page that spams alert() can be silenced by the user.
    safeDialogs: true,
    additionalArguments: [appVersionArgument(options.appVersion)],
  };
}
