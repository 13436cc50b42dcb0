/** `window.app`, the bridge the desktop app's preload exposes. Absent in the web console. */
import type { AppBridge } from '../../shared/ipc.js';

declare global {
  interface Window {
    readonly app?: AppBridge;
  }
}
