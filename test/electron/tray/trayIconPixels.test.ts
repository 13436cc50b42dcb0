import { describe, expect, it } from 'vitest';
import { trayColours, trayIconPixels, trayIconSize } from '../../../electron/main/tray/trayIconPixels.js';

/** The BGRA pixel at (x, y) as [red, green, blue, alpha]. */
function pixel(pixels: Buffer, x: number, y: number): number[] {
  const offset = (y * trayIconSize + x) * 4;
  return [pixels[offset + 2]!, pixels[offset + 1]!, pixels[offset]!, pixels[offset + 3]!];
}

describe('trayIconPixels', () => {
  it('draws an opaque disc of the state colour on a transparent square', () => {
    for (const state of ['up', 'down', 'unknown'] as const) {
      const pixels = trayIconPixels(state);
      expect(pixels).toHaveLength(trayIconSize * trayIconSize * 4);
      expect(pixel(pixels, trayIconSize / 2, trayIconSize / 2)).toEqual([...trayColours[state], 255]);
      expect(pixel(pixels, 0, 0)[3]).toBe(0);
      expect(pixel(pixels, trayIconSize - 1, trayIconSize - 1)[3]).toBe(0);
    }
    expect(trayIconPixels('up').equals(trayIconPixels('down'))).toBe(false);
  });
});
