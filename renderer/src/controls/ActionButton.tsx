/**
 * A button for an action that changes something. With `confirm`, a click first opens an inline
 * confirmation (focus moves to its Confirm button; Escape or Cancel closes it and gives focus
 * back). While the action runs the button is disabled and shows `busyLabel` ("Draining…"); a
 * failure shows the API's message and what to do, next to the button.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { useAction } from './useAction.js';

export interface ActionButtonProps {
  label: string;
  busyLabel: string;
  /** The question to confirm, e.g. "Stop worker w-1 now?"; no confirmation when absent. */
  confirm?: string;
  /** Marks destructive actions (red). */
  danger?: boolean;
  onAction(): Promise<unknown>;
}

export function ActionButton({ label, busyLabel, confirm, danger = false, onAction }: ActionButtonProps) {
  const { busy, error, run } = useAction();
  const [asking, setAsking] = useState(false);
  const trigger = useRef<HTMLButtonElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  /** Set when the confirmation closes, so focus goes back to the button it replaced. */
  const refocus = useRef(false);

  useEffect(() => {
    if (asking) confirmButton.current?.focus();
    else if (refocus.current) trigger.current?.focus();
    refocus.current = false;
  }, [asking]);

  const close = () => {
    refocus.current = true;
    setAsking(false);
  };
  const act = () => {
    refocus.current = true;
    setAsking(false);
    void run(onAction);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    close();
  };

  return (
    <span className="action">
      {asking ? (
        <span className="confirmation" role="group" aria-label={`Confirm ${label.toLowerCase()}`} onKeyDown={onKeyDown}>
          <span>{confirm}</span>
          <button ref={confirmButton} type="button" className={danger ? 'danger' : undefined} onClick={act}>
            Confirm
          </button>
          <button type="button" onClick={close}>
            Cancel
          </button>
        </span>
      ) : (
        <button ref={trigger} type="button" className={danger ? 'danger' : undefined} disabled={busy} onClick={() => (confirm ? setAsking(true) : act())}>
          {busy ? busyLabel : label}
        </button>
      )}
      <ErrorMessage message={error} />
    </span>
  );
}
