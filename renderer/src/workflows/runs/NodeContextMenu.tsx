/**
 * A node's retry menu (roles with `workflows:run` only): "Retry this node only", "Retry this node
 * and everything downstream", "Retry failed nodes from here" (`runs.retry` with mode `node`,
 * `downstream`, `failed`). Choosing one asks for confirmation in the same popup; Confirm takes
 * focus. Arrow keys move between items, Escape (or a click elsewhere) closes it and gives focus
 * back to the node.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { useAction } from '../../controls/useAction.js';
import { useRunViewStore, type NodeMenu, type RetryMode } from './runViewStore.js';

export const retryChoices: ReadonlyArray<{ mode: RetryMode; label: string; question: (node: string) => string }> = [
  { mode: 'node', label: 'Retry this node only', question: (node) => `Retry ${node} only? Nodes after it keep their results.` },
  { mode: 'downstream', label: 'Retry this node and everything downstream', question: (node) => `Retry ${node} and every node after it?` },
  { mode: 'failed', label: 'Retry failed nodes from here', question: (node) => `Retry the failed and cancelled nodes from ${node} on?` },
];

const menuWidth = 320;

function focusNode(node: string) {
  document.querySelector<HTMLElement>(`[data-node-id="${CSS.escape(node)}"]`)?.focus();
}

export function NodeContextMenu({ menu }: { menu: NodeMenu }) {
  const [chosen, setChosen] = useState<(typeof retryChoices)[number] | null>(null);
  const { busy, error, run } = useAction();
  const box = useRef<HTMLDivElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);

  const close = () => {
    useRunViewStore.getState().closeMenu();
    focusNode(menu.node);
  };

  useEffect(() => {
    if (chosen) confirmButton.current?.focus();
    else box.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
  }, [chosen]);

  useEffect(() => {
    const outside = (event: MouseEvent) => {
      if (!box.current?.contains(event.target as Node)) useRunViewStore.getState().closeMenu();
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, []);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      close();
      return;
    }
    if (chosen || (event.key !== 'ArrowDown' && event.key !== 'ArrowUp' && event.key !== 'Home' && event.key !== 'End')) return;
    event.preventDefault();
    const items = [...(box.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    const next = event.key === 'Home' ? 0 : event.key === 'End' ? items.length - 1 : (at + (event.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length;
    items[next]?.focus();
  };

  const confirm = async () => {
    if (!chosen) return;
    const done = await run(() => useRunViewStore.getState().retry(menu.node, chosen.mode));
    if (done) close();
  };

  const left = Math.max(0, Math.min(menu.x, window.innerWidth - menuWidth));
  const top = Math.max(0, Math.min(menu.y, window.innerHeight - 180));
  return (
    <div ref={box} className="node-menu" style={{ left, top, width: menuWidth }} onKeyDown={onKeyDown}>
      {chosen ? (
        <div role="alertdialog" aria-label={`Confirm ${chosen.label.toLowerCase()}`} aria-describedby="node-menu-question">
          <p id="node-menu-question">{chosen.question(menu.node)}</p>
          <button ref={confirmButton} type="button" disabled={busy} onClick={() => void confirm()}>
            {busy ? 'Retrying…' : 'Confirm'}
          </button>
          <button type="button" onClick={close}>
            Cancel
          </button>
          <ErrorMessage message={error} />
        </div>
      ) : (
        <div role="menu" aria-label={`Actions on ${menu.node}`}>
          {retryChoices.map((choice) => (
            <button key={choice.mode} type="button" role="menuitem" tabIndex={-1} onClick={() => setChosen(choice)}>
              {choice.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
