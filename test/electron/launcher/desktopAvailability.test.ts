import { describe, expect, it } from 'vitest';
import { desktopAvailability, fallbackLine } from '../../../electron/launcher/desktopAvailability.js';

const binary = '/repo/node_modules/electron/dist/electron';
const installed = { resolveElectron: () => binary, fileExists: (path: string) => path === binary };
const missing = {
  resolveElectron: (): string => {
    throw new Error('Electron failed to install correctly, please delete node_modules/electron and try installing again');
  },
  fileExists: () => false,
};

describe('desktopAvailability', () => {
  it('opens the app where the binary and a display exist', () => {
    expect(desktopAvailability({ platform: 'linux', environment: { DISPLAY: ':0' }, ...installed })).toEqual({ available: true, electronPath: binary });
    expect(desktopAvailability({ platform: 'linux', environment: { WAYLAND_DISPLAY: 'wayland-0' }, ...installed }).available).toBe(true);
    expect(desktopAvailability({ platform: 'darwin', environment: {}, ...installed }).available).toBe(true);
    expect(desktopAvailability({ platform: 'win32', environment: {}, ...installed }).available).toBe(true);
  });

  it('names the missing binary and how to get it', () => {
    const expected = { available: false, reason: 'no Electron binary: run npm run desktop:electron' };
    expect(desktopAvailability({ platform: 'linux', environment: { DISPLAY: ':0' }, ...missing })).toEqual(expected);
    // The package names a binary that is not on disk (dist deleted after install).
    expect(desktopAvailability({ platform: 'darwin', environment: {}, resolveElectron: () => binary, fileExists: () => false })).toEqual(expected);
  });

  it('names the missing display on Linux', () => {
    expect(desktopAvailability({ platform: 'linux', environment: { DISPLAY: '' }, ...installed })).toEqual({
      available: false,
      reason: 'no display: DISPLAY and WAYLAND_DISPLAY are unset',
    });
    expect(desktopAvailability({ platform: 'freebsd', environment: {}, ...installed }).available).toBe(false);
  });

  it('says it in one line', () => {
    const line = fallbackLine('no Electron binary: run npm run desktop:electron');
    expect(line).toBe('Desktop app unavailable (no Electron binary: run npm run desktop:electron); starting the agent with the web console instead.');
    expect(line).not.toContain('\n');
  });
});
