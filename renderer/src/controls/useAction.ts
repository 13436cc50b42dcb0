/**
 * The state of one user action (a button or a form): `busy` while it runs, so the control can be
 * disabled and say "…ing", and the failure message (the API's message and what to do, see
 * `failureMessage`) when it fails. `run` answers whether the action succeeded.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { failureMessage } from './failureMessage.js';

export interface ActionState {
  busy: boolean;
  error: string | null;
  run(action: () => Promise<unknown>): Promise<boolean>;
  clearError(): void;
}

export function useAction(): ActionState {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // An action may finish after its control is gone (the row it acted on disappeared).
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const run = useCallback(async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (caught) {
      if (mounted.current) setError(failureMessage(caught));
      return false;
    } finally {
      if (mounted.current) setBusy(false);
    }
  }, []);

  const clearError = useCallback(() => setError(null), []);
  return { busy, error, run, clearError };
}
