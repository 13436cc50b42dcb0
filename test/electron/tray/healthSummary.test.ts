import { describe, expect, it } from 'vitest';
import { healthSummary } from '../../../electron/main/tray/healthSummary.js';

describe('healthSummary', () => {
  it('counts clusters by state and sums the dead letters', () => {
    expect(
      healthSummary([
        { state: 'up', dead: 2 },
        { state: 'up', dead: 0 },
        { state: 'down', dead: 3 },
      ]),
    ).toBe('3 clusters: 2 up, 1 down · 5 dead');
  });

  it('leaves out zero counts and unknown dead counts', () => {
    expect(healthSummary([{ state: 'up', dead: null }])).toBe('1 cluster: 1 up');
    expect(
      healthSummary([
        { state: 'down', dead: null },
        { state: 'unknown', dead: null },
      ]),
    ).toBe('2 clusters: 1 down, 1 checking');
    expect(
      healthSummary([
        { state: 'up', dead: 0 },
        { state: 'up', dead: null },
      ]),
    ).toBe('2 clusters: 2 up · 0 dead');
  });

  it('says when nothing is known yet, or nothing is registered', () => {
    expect(
      healthSummary([
        { state: 'unknown', dead: null },
        { state: 'unknown', dead: null },
      ]),
    ).toBe('2 clusters: checking…');
    expect(healthSummary([])).toBe('No clusters');
  });
});
