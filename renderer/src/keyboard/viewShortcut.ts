/**
 * The keyboard shortcuts of the view switch: Alt+1 … Alt+9 open the first nine views the user
 * can see, in switch order, and Alt+0 the tenth (an admin sees ten). Read from `event.code` (`Digit1`…), not `event.key`, because Alt
 * changes the character on some layouts (macOS: Option+1 types ¡).
 */

/** The label shown in a view button's title, e.g. `Alt+3`; empty past the tenth view. */
export function shortcutLabel(index: number): string {
  if (index < 9) return `Alt+${index + 1}`;
  return index === 9 ? 'Alt+0' : '';
}

/** The index of the view a key press asks for, or null when it is not a view shortcut. */
export function shortcutIndex(event: { altKey: boolean; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; code: string }): number | null {
  if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return null;
  const match = /^(?:Digit|Numpad)([0-9])$/.exec(event.code);
  if (!match) return null;
  const digit = Number(match[1]);
  return digit === 0 ? 9 : digit - 1;
}
