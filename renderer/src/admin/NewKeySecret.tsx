/**
 * The secret of the API key just created, shown this once: the agent keeps only its hash. A copy
 * button puts it on the clipboard; "Done" (or Escape, or leaving the view) forgets it for good.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useKeysStore } from './keysStore.js';

export function NewKeySecret() {
  const { created, forgetCreated } = useKeysStore();
  const [copied, setCopied] = useState<string | null>(null);
  const secretField = useRef<HTMLInputElement>(null);

  useEffect(() => {
    setCopied(null);
    secretField.current?.select();
    secretField.current?.focus();
  }, [created]);

  if (!created) return null;

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.secret);
      setCopied('Copied to the clipboard.');
    } catch {
      // The clipboard can be refused (no permission, not a secure context): the text is selected instead.
      secretField.current?.select();
      setCopied('The browser refused the clipboard: the key is selected, press Ctrl+C (⌘C) to copy it.');
    }
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') forgetCreated();
  };

  return (
    <section className="new-key" role="region" aria-label="New API key" onKeyDown={onKeyDown}>
      <p>
        <strong>Copy the key {created.name} now.</strong> It is shown only this once; the agent keeps only its hash.
      </p>
      <input ref={secretField} className="secret" aria-label="API key secret" readOnly value={created.secret} size={Math.min(created.secret.length, 80)} />
      <button type="button" onClick={() => void copy()}>
        Copy
      </button>
      <button type="button" onClick={forgetCreated}>
        Done
      </button>
      {copied ? <p role="status">{copied}</p> : null}
    </section>
  );
}
