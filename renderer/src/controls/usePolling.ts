/**
 * Calls `load` at once and then every `intervalMs` while the calling component is mounted; the
 * timer stops on unmount or when either argument changes. A call still running when the next is
 * due is not doubled: that tick is skipped.
 */
import { useEffect } from 'react';

export function usePolling(load: () => Promise<unknown>, intervalMs: number): void {
  useEffect(() => {
    let running = false;
    const tick = () => {
      if (running) return;
      running = true;
      void load().finally(() => {
        running = false;
      });
    };
    tick();
    const timer = setInterval(tick, intervalMs);
    return () => clearInterval(timer);
  }, [load, intervalMs]);
}
