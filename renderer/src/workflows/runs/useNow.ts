/**
 * The current time, re-read every `intervalMs` while `intervalMs` is not null, so a running
 * node's duration or a growing timeline bar moves on; nothing ticks for finished things.
 */
import { useEffect, useState } from 'react';

export function useNow(intervalMs: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (intervalMs === null) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
