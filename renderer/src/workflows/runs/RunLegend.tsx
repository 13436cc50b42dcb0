/** The colours of the run view's node states, in the order a node goes through them. */
import { displayLabels, displayStates } from './nodeDisplay.js';

export function RunLegend() {
  return (
    <ul className="run-legend" aria-label="Legend">
      {displayStates.map((state) => (
        <li key={state} data-state={state}>
          <span className="swatch" aria-hidden="true" />
          {displayLabels[state]}
        </li>
      ))}
    </ul>
  );
}
