/** The top bar's switch between the console's views. */
import { useViewStore, views } from '../state/viewStore.js';

export function ViewSwitch() {
  const { view, show } = useViewStore();
  return (
    <nav className="view-switch" aria-label="Views">
      {views.map((name) => (
        <button key={name} type="button" aria-pressed={view === name} onClick={() => show(name)}>
          {name}
        </button>
      ))}
    </nav>
  );
}
