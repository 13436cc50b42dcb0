/**
 * Desktop app entry (main process): lifecycle only. Windows come from `createWindow`.
 * Built by electron-vite to `out/main/index.js`; the preload and the renderer sit beside it in
 * `out/preload/` and `out/renderer/`.
 */
import { app, BrowserWindow } from 'electron';
import { fileURLToPath } from 'node:url';
import { createWindow } from './createWindow.js';

const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));

/** The dev server while developing (`electron-vite dev` sets the variable), the built files otherwise. */
function appUrl(): string {
  const devServerUrl = process.env['ELECTRON_RENDERER_URL'];
  if (!app.isPackaged && devServerUrl) return devServerUrl;
  return new URL('../renderer/index.html', import.meta.url).href;
}

function openMainWindow(): Promise<BrowserWindow> {
  return createWindow({ url: appUrl(), preloadPath, appVersion: app.getVersion() });
}

function fail(error: unknown): void {
  console.error(error);
  app.exit(1);
}

// Sandbox every renderer, including any created outside the window factory.
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openMainWindow().catch(fail);
  });
  app.whenReady().then(openMainWindow).catch(fail);
}
