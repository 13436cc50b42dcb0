/**
 * The side panel's fields. `TextSetting` and `ChoiceSetting` write every change straight into
 * the draft. `ParsedSetting` keeps what is typed (a number, JSON) until it parses, showing why it
 * does not meanwhile; the draft keeps its last good value. A change made elsewhere (undo) shows
 * up in the field. Read-only fields (a viewer) are plain text, not inputs.
 */
import { useId, useRef, useState, type ReactNode } from 'react';

interface FieldProps {
  label: string;
  readOnly: boolean;
  /** The validator's message for this setting, shown under it. */
  problem?: string | undefined;
  hint?: string;
}

function FieldFrame({ label, problem, hint, children, id }: Omit<FieldProps, 'readOnly'> & { id: string; children: ReactNode }) {
  return (
    <div className={problem ? 'setting has-problem' : 'setting'}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint ? <span className="hint">{hint}</span> : null}
      {problem ? (
        <span className="setting-problem" role="alert">
          {problem}
        </span>
      ) : null}
    </div>
  );
}

function ReadOnlyValue({ label, text }: { label: string; text: string }) {
  return (
    <div className="setting">
      <span className="setting-label">{label}</span>
      <span className="setting-value">{text === '' ? '—' : text}</span>
    </div>
  );
}

export function TextSetting({ label, value, onChange, readOnly, problem, hint, placeholder }: FieldProps & { value: string; onChange(value: string): void; placeholder?: string }) {
  const id = useId();
  if (readOnly) return <ReadOnlyValue label={label} text={value} />;
  return (
    <FieldFrame label={label} problem={problem} hint={hint} id={id}>
      <input id={id} value={value} placeholder={placeholder} spellCheck={false} onChange={(event) => onChange(event.target.value)} />
    </FieldFrame>
  );
}

export function ChoiceSetting<T extends string>({ label, value, choices, onChange, readOnly, problem }: FieldProps & { value: T; choices: readonly { value: T; text: string }[]; onChange(value: T): void }) {
  const id = useId();
  if (readOnly) return <ReadOnlyValue label={label} text={choices.find((choice) => choice.value === value)?.text ?? value} />;
  return (
    <FieldFrame label={label} problem={problem} id={id}>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value as T)}>
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.text}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

interface ParsedSettingProps<T> extends FieldProps {
  value: T;
  format(value: T): string;
  parse(text: string): Parsed<T>;
  onChange(value: T): void;
  rows?: number;
}

export function ParsedSetting<T>({ label, value, format, parse, onChange, readOnly, problem, hint, rows }: ParsedSettingProps<T>) {
  const id = useId();
  const [text, setText] = useState(() => format(value));
  const [typingProblem, setTypingProblem] = useState<string | null>(null);
  const [shown, setShown] = useState(value);
  /** The last value this field wrote, so its own change does not reformat what is being typed. */
  const written = useRef<T | undefined>(undefined);
  if (!Object.is(shown, value)) {
    setShown(value);
    if (!Object.is(value, written.current)) {
      setText(format(value));
      setTypingProblem(null);
    }
  }
  if (readOnly) return <ReadOnlyValue label={label} text={format(value)} />;

  const change = (next: string) => {
    setText(next);
    const parsed = parse(next);
    if (!parsed.ok) {
      setTypingProblem(parsed.message);
      return;
    }
    setTypingProblem(null);
    written.current = parsed.value;
    onChange(parsed.value);
  };
  const shownProblem = typingProblem ?? problem;
  return (
    <FieldFrame label={label} problem={shownProblem ?? undefined} hint={hint} id={id}>
      {rows ? (
        <textarea id={id} rows={rows} value={text} spellCheck={false} onChange={(event) => change(event.target.value)} />
      ) : (
        <input id={id} value={text} inputMode="numeric" onChange={(event) => change(event.target.value)} />
      )}
    </FieldFrame>
  );
}
