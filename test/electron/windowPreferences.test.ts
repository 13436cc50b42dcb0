import { describe, expect, it } from 'vitest';
import { windowPreferences } from '../../electron/main/windowPreferences.js';
import { appVersionFromArguments } from '../../shared/ipc.js';

const options = { preloadPath: '/app/out/preload/index.cjs', appVersion: '1.2.3' };

describe('windowPreferences', () => {
  it('keeps every security setting of the one window factory', () => {
    // Changing this snapshot weakens or strengthens every desktop window: review it as such.
    expect(windowPreferences(options)).toMatchInlineSnapshot(`
      {
        "additionalArguments": [
          "--switchyard-version=1.2.3",
        ],
        "allowRunningInsecureContent": false,
        "contextIsolation": true,
        "experimentalFeatures": false,
        "navigateOnDragDrop": false,
        "nodeIntegration": false,
        "nodeIntegrationInSubFrames": false,
        "nodeIntegrationInWorker": false,
        "preload": "/app/out/preload/index.cjs",
        "safeDialogs": true,
        "sandbox": true,
        "webSecurity": true,
        "webviewTag": false,
      }
    `);
  });

  it('isolates, sandboxes and keeps Node out of the renderer', () => {
    expect(windowPreferences(options)).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('hands the app version to the preload, which reads it back', () => {
    const preferences = windowPreferences(options);
    expect(appVersionFromArguments(['electron', '--type=renderer', ...(preferences.additionalArguments ?? [])])).toBe(
      '1.2.3',
    );
  });

  it('lets the preload expose a well-formed version when the argument is missing', () => {
    expect(appVersionFromArguments(['electron', '--type=renderer'])).toBe('unknown');
    expect(appVersionFromArguments(['--switchyard-version='])).toBe('unknown');
  });
});
