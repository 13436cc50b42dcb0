/**
 * ESLint for the whole repository: eslint and typescript-eslint recommended rules (without type
 * information, so `npm run lint` stays fast; `tsc -b` does the type checking) plus the layering
 * rule of DESIGN.md, defined in `eslint.layers.js`. See docs/layout.md.
 */
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';
import { layersPlugin } from './eslint.layers.js';

/** Globals of plain JavaScript files run by Node (config files, scripts). TypeScript checks its own. */
const nodeGlobals = Object.fromEntries(
  [
    'process',
    'console',
    'Buffer',
    'URL',
    'URLSearchParams',
    'AbortController',
    'AbortSignal',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'setImmediate',
    'clearImmediate',
    'structuredClone',
    'fetch',
    'globalThis',
  ].map((name) => [name, 'readonly']),
);

export default defineConfig(
  globalIgnores([
    // Build output, dependencies, results, and git-ignored local scratch and data folders.
    'dist/',
    'out/',
    'release/',
    'node_modules/',
    'test-results/',
    'bench/results/',
    'coverage/',
    '.scratch/',
    '.data/',
  ]),
  {
    files: ['**/*.{js,mjs,cjs,ts,mts,cts,tsx}'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: nodeGlobals },
  },
  {
    files: ['shared/**', 'agent/**', 'electron/**', 'renderer/**'],
    plugins: { layers: layersPlugin },
    rules: { 'layers/imports': 'error' },
  },
);
