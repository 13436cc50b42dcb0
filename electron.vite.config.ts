/**
 * Builds the desktop app with electron-vite into `out/`:
 *   out/main/index.js       main process (ES module), from electron/main/index.ts
 *   out/preload/index.cjs   preload (CommonJS: sandboxed preloads cannot be ES modules)
 *   out/renderer/           the React UI, from renderer/; the agent serves this same folder as
 *                           the web console
 * `npx electron-vite build` needs no Electron binary. See docs/layout.md.
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';

const root = import.meta.dirname;

/**
 * The dev server injects inline scripts (React refresh) and inline styles (CSS hot reload), which
 * the strict CSP of renderer/index.html forbids. Relax exactly those two directives while serving;
 * built files keep the strict policy.
 */
function devContentSecurityPolicy(): Plugin {
  return {
    name: 'switchyard:dev-content-security-policy',
    apply: 'serve',
    transformIndexHtml(html) {
      return html
        .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
        .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");
    },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      rolldownOptions: {
        input: { index: resolve(root, 'electron/main/index.ts') },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      rolldownOptions: {
        input: { index: resolve(root, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [react(), devContentSecurityPolicy()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      emptyOutDir: true,
      // Unlike main and preload, this bundle is also downloaded by browsers from the agent.
      minify: true,
      rolldownOptions: {
        input: { index: resolve(root, 'renderer/index.html') },
      },
    },
  },
});
