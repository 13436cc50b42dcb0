/**
 * Desktop app entry (main process): lifecycle and Electron glue only. The services — registry,
 * gateway, health monitor, This computer — come from `startDesktopServices`, windows from
 * `createWindow`, the bridge's handlers from `ipc/`, the tray from `tray/`. Built by electron-vite
 * to `out/main/index.js`; the preload and the renderer sit beside it in `out/preload/` and
 * `out/renderer/`. The app keeps running in the tray when its window closes; Quit stops the local
 * agent (SIGTERM, then SIGKILL after a deadline) before the app exits.
 */
import { app, BrowserWindow, dialog, Notification } from 'electron';
import { fileURLToPath } from 'node:url';
import { createWindow } from './createWindow.js';
import { clusterHandlers } from './ipc/clusterHandlers.js';
import { registerIpcHandlers, type IpcRegistration } from './ipc/registerIpcHandlers.js';
import { localAgentCommand } from './localAgent/localAgentCommand.js';
import { localAgentFlags } from './localAgent/localCluster.js';
import { startDesktopServices, type DesktopServices } from './startDesktopServices.js';
import { createAppTray, type AppTray } from './tray/AppTray.js';

const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
const rendererDirectory = fileURLToPath(new URL('../renderer', import.meta.url));

let services: DesktopServices | undefined;
let tray: AppTray | undefined;
// Set once the handlers are registered; changes before that reach the window with its first `list`.
let ipc: IpcRegistration | undefined;
let stopped = false;

async function openMainWindow(): Promise<void> {
  const [existing] = BrowserWindow.getAllWindows();
  if (existing) {
    if (existing.isMinimized()) existing.restore();
    existing.show();
    existing.focus();
    return;
  }
  if (!services) return;
  const { origin, secret } = services.gateway;
  await createWindow({ gateway: { origin, secret }, preloadPath, appVersion: app.getVersion() });
}

function fail(error: unknown): void {
  console.error(error);
  dialog.showErrorBox('Switchyard could not start', error instanceof Error ? error.message : String(error));
  app.exit(1);
}

function notify(body: string): void {
  if (Notification.isSupported()) new Notification({ title: 'Switchyard', body }).show();
}

async function start(): Promise<void> {
  const command = localAgentCommand({ packaged: app.isPackaged, execPath: process.execPath, resourcesPath: process.resourcesPath, appPath: app.getAppPath() });
  services = await startDesktopServices({
    userData: app.getPath('userData'),
    rendererDirectory,
    localAgent: { command, flags: localAgentFlags() },
    onClusters: (clusters) => {
      ipc?.pushClusters(clusters);
      tray?.update(clusters);
    },
    onAlert: (alert) => tray?.notify(alert),
    onLocalAgentProblem: (problem) => notify(`This computer: ${problem}`),
  });
  const ready = services;
  const handlers = clusterHandlers({
    service: ready.service,
    setupToken: (id) => ready.setupToken(id),
    chooseExportPath: async () => {
      const { canceled, filePath } = await dialog.showSaveDialog({ title: 'Export cluster profiles', defaultPath: 'switchyard-clusters.json', filters: [{ name: 'JSON', extensions: ['json'] }] });
      return canceled || !filePath ? null : filePath;
    },
    chooseImportPath: async () => {
      const { canceled, filePaths } = await dialog.showOpenDialog({ title: 'Import cluster profiles', properties: ['openFile'], filters: [{ name: 'JSON', extensions: ['json'] }] });
      return canceled ? null : (filePaths[0] ?? null);
    },
  });
  ipc = registerIpcHandlers(handlers, ready.gateway.origin, () => BrowserWindow.getAllWindows());
  try {
    tray = createAppTray({ openWindow: () => void openMainWindow().catch(fail), quit: () => app.quit() });
    tray.update(ready.service.list());
  } catch (error) {
    // Some Linux desktops have no tray: the app then quits with its last window.
    console.warn(`no tray: ${error instanceof Error ? error.message : String(error)}`);
  }
  await openMainWindow();
}

// Sandbox every renderer, including any created outside the window factory.
app.enableSandbox();
// `SWITCHYARD_USER_DATA` moves the app's folder (registry, known hosts, This computer's data): tests, a second profile.
const userData = process.env['SWITCHYARD_USER_DATA'];
if (userData) app.setPath('userData', userData);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => void openMainWindow().catch(fail));
  app.on('window-all-closed', () => {
    if (!tray) app.quit();
  });
  app.on('activate', () => void openMainWindow().catch(fail));
  app.on('before-quit', (event) => {
    if (stopped || !services) return;
    event.preventDefault();
    stopped = true;
    tray?.destroy();
    void services.close().finally(() => app.quit());
  });
  app.whenReady().then(start).catch(fail);
}
