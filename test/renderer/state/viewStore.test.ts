/** Which views a role sees (renderer/src/state/viewStore.ts). */
import { describe, expect, it } from 'vitest';
import { visibleViews } from '../../../renderer/src/state/viewStore.js';

describe('views per role', () => {
  it('shows Users and Audit to admins only', () => {
    for (const role of ['viewer', 'operator'] as const) {
      expect(visibleViews(role)).not.toContain('Users');
      expect(visibleViews(role)).not.toContain('Audit');
      expect(visibleViews(role)[0]).toBe('Overview');
    }
    expect(visibleViews('admin')).toEqual(expect.arrayContaining(['Overview', 'Workers', 'Schedules', 'Users', 'Audit']));
  });
});
