/**
 * Whether `npm start` can open the desktop app here, and if not, why — in words for the one line
 * the launcher prints before it starts the agent with the web console instead. Pure: the caller
 * passes the platform, the environment and how to find the Electron binary.
 *
 * The app cannot open when
 * - the `electron` package has no binary (`node_modules/electron/dist` is downloaded by
 *   `npm run desktop:electron`; `require('electron')` throws, or names a file that is missing), or
 * - on Linux and the BSDs, there is no display: neither `DISPLAY` (X11) nor `WAYLAND_DISPLAY`.
 *   macOS and Windows always have one.
 */

export type DesktopAvailability = { available: true; electronPath: string } | { available: false; reason: string };

export interface DesktopAvailabilityInput {
  platform: NodeJS.Platform;
  environment: NodeJS.ProcessEnv;
  /** `require('electron')`: the binary's path; throws when the package has none. */
  resolveElectron: () => string;
  fileExists: (path: string) => boolean;
}

/** What to run to download the binary, named in the reason. */
export const downloadElectronCommand = 'npm run desktop:electron';

export function desktopAvailability({ platform, environment, resolveElectron, fileExists }: DesktopAvailabilityInput): DesktopAvailability {
  let electronPath: string;
  try {
    electronPath = resolveElectron();
  } catch {
    return { available: false, reason: `no Electron binary: run ${downloadElectronCommand}` };
  }
  if (typeof electronPath !== 'string' || !fileExists(electronPath)) {
    return { available: false, reason: `no Electron binary: run ${downloadElectronCommand}` };
  }
  const needsDisplay = platform !== 'darwin' && platform !== 'win32';
  if (needsDisplay && !environment['DISPLAY'] && !environment['WAYLAND_DISPLAY']) {
    return { available: false, reason: 'no display: DISPLAY and WAYLAND_DISPLAY are unset' };
  }
  return { available: true, electronPath };
}

/** The one line `npm start` prints when it falls back to the web console. */
export function fallbackLine(reason: string): string {
  return `Desktop app unavailable (${reason}); starting the agent with the web console instead.`;
}
