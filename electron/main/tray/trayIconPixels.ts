/**
 * The tray icon as raw pixels: a filled disc in one colour on a transparent square, drawn here
 * because the app's only icon is `resources/icon.svg` and Electron's `nativeImage` reads no SVG.
 * The colour tells the health at a glance: every cluster up, one down, or not known yet.
 */
export const trayIconSize = 32;

export const trayColours = {
  up: [0x10, 0xb9, 0x81],
  down: [0xef, 0x44, 0x44],
  unknown: [0x94, 0xa3, 0xb8],
} as const;

/** BGRA bytes, row by row, as `nativeImage.createFromBuffer(buffer, { width, height })` takes them. */
export function trayIconPixels(state: keyof typeof trayColours, size = trayIconSize): Buffer {
  const [red, green, blue] = trayColours[state];
  const pixels = Buffer.alloc(size * size * 4);
  const centre = (size - 1) / 2;
  const radius = size / 2 - 1;
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      // Alpha falls off over the disc's last pixel, so its edge is smooth.
      const coverage = Math.min(1, Math.max(0, radius + 0.5 - Math.hypot(x - centre, y - centre)));
      const offset = (y * size + x) * 4;
      pixels[offset] = blue;
      pixels[offset + 1] = green;
      pixels[offset + 2] = red;
      pixels[offset + 3] = Math.round(coverage * 255);
    }
  }
  return pixels;
}
