/**
 * An inline confirmation for an action that changes or deletes a lot: says what will happen,
 * then offers the action and a way back. Keyboard: focus starts on "Cancel" (the safe choice),
 * Escape cancels. It is a `role="alertdialog"` named by its title, so tests and screen readers
 * find it by name.
 */
import { useEffect, useRef, type ReactNode } from 'react';
import './Confirmation.css';

export interface ConfirmationProps {
  title: string;
  children: ReactNode;
  /** The button that carries the action out, e.g. "Drain mail". */
  confirmLabel: string;
  onConfirm(): void;
  onCancel(): void;
  /** While true the buttons are disabled (the action runs); `children` show its progress. */
  busy?: boolean;
}

export function Confirmation({ title, children, confirmLabel, onConfirm, onCancel, busy = false }: ConfirmationProps) {
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => cancel.current?.focus(), []);
  return (
    <div
      className="confirmation"
      role="alertdialog"
      aria-label={title}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && !busy) onCancel();
      }}
    >
      <strong>{title}</strong>
      <div className="confirmation-text">{children}</div>
      <button type="button" className="danger" disabled={busy} onClick={onConfirm}>
        {confirmLabel}
      </button>
      <button type="button" ref={cancel} disabled={busy} onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
