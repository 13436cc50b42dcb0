/**
 * The tray: an icon coloured by health, the summary across clusters (`healthSummary`) as its
 * tooltip and first menu line, and the menu to open the window or quit. Alerts of the health
 * monitor become OS notifications; clicking one opens the window. Thin Electron glue: the text and
 * the pixels come from plain functions.
 */
import { Menu, Notification, Tray, nativeImage } from 'electron';
import type { ClusterView } from '../../../shared/clusters.js';
import type { HealthAlert } from '../health/healthAlerts.js';
import { healthSummary } from './healthSummary.js';
import { trayIconPixels, trayIconSize, type trayColours } from './trayIconPixels.js';

export interface AppTrayOptions {
  openWindow: () => void;
  quit: () => void;
}

export interface AppTray {
  /** Shows the health of these clusters. */
  update(clusters: readonly ClusterView[]): void;
  /** Raises an OS notification for an alert. */
  notify(alert: HealthAlert): void;
  destroy(): void;
}

function icon(state: keyof typeof trayColours) {
  return nativeImage.createFromBuffer(trayIconPixels(state), { width: trayIconSize, height: trayIconSize });
}

export function createAppTray({ openWindow, quit }: AppTrayOptions): AppTray {
  const tray = new Tray(icon('unknown'));
  let state: keyof typeof trayColours = 'unknown';
  const show = (summary: string) => {
    tray.setToolTip(`Switchyard — ${summary}`);
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: summary, enabled: false },
        { type: 'separator' },
        { label: 'Open Switchyard', click: openWindow },
        { label: 'Quit', click: quit },
      ]),
    );
  };
  show(healthSummary([]));
  tray.on('click', openWindow);

  return {
    update(clusters) {
      const healths = clusters.map((cluster) => cluster.health);
      show(healthSummary(healths));
      const next = healths.some((health) => health.state === 'down') ? 'down' : healths.length > 0 && healths.every((health) => health.state === 'up') ? 'up' : 'unknown';
      if (next !== state) tray.setImage(icon(next));
      state = next;
    },
    notify(alert) {
      if (!Notification.isSupported()) return;
      const notification = new Notification({ title: 'Switchyard', body: alert.message });
      notification.on('click', openWindow);
      notification.show();
    },
    destroy() {
      tray.destroy();
    },
  };
}
