/**
 * The layering rule: enforces the "may import" column of DESIGN.md's layout table.
 *
 *   shared/    → shared/ only, plus pure npm packages (no Node built-ins, Electron, React or
 *                server packages such as ioredis and pg)
 *   agent/     → shared/, npm packages and Node built-ins; never electron/ or renderer/
 *   electron/  → shared/ and resources/ (assets), npm packages and Node built-ins; never agent/
 *                source (the agent is started as a process) or renderer/
 *   renderer/  → shared/ and browser packages; never `electron`, Node built-ins, agent/ or electron/
 *   test/, bench/, root config files → anything
 *
 * Every import form is checked: static imports, re-exports, `import()` with a literal,
 * `require()`, `import x = require()` and type-position `import('…')`. Type-only imports count
 * too: a type pulled from the wrong layer is still a dependency on it.
 *
 * Layers are found from the file's path relative to the repository root, which is the folder
 * holding this file. Files outside the four source layers are not checked.
 */
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = path.dirname(fileURLToPath(import.meta.url));

const nodeBuiltins = new Set(builtinModules);

/** Packages that do I/O on a server; neither the contract nor the UI may pull them in. */
const serverPackages = [
  'ioredis',
  'pg',
  'pg-*',
  '@electric-sql/pglite',
  'fastify',
  '@fastify/*',
  'bullmq',
  'graphile-worker',
  'nodemailer',
  'node-ssh',
  'ssh2',
  'keytar',
  'argon2',
];

/**
 * What each source layer may import.
 * - `folders`: repository folders it may reach with a relative import (its own folder is implied).
 * - `node`: whether Node built-ins (`node:fs`, `path`, …) are allowed.
 * - `deniedPackages`: npm packages it must not import (`name` matches `name` and `name/…`;
 *   `prefix*` matches every package starting with `prefix`).
 * - `summary`: the allowed layers, as the error message states them.
 */
const layers = {
  shared: {
    folders: [],
    node: false,
    deniedPackages: ['electron', 'react', 'react-dom', ...serverPackages],
    summary: 'shared/ may import only shared/ (and pure npm packages such as zod)',
  },
  agent: {
    folders: ['shared'],
    node: true,
    deniedPackages: ['electron', 'react', 'react-dom'],
    summary: 'agent/ may import only shared/ (plus npm packages and Node built-ins)',
  },
  electron: {
    folders: ['shared', 'resources'],
    node: true,
    deniedPackages: [],
    summary:
      'electron/ may import only shared/ and resources/ assets (plus npm packages and Node built-ins; it starts the agent as a process, never imports it)',
  },
  renderer: {
    folders: ['shared'],
    node: false,
    deniedPackages: ['electron', ...serverPackages],
    summary: 'renderer/ may import only shared/ (and browser packages)',
  },
};

/** @param {string} name @param {string} pattern */
function packageMatches(name, pattern) {
  if (pattern.endsWith('*')) return name.startsWith(pattern.slice(0, -1));
  return name === pattern || name.startsWith(`${pattern}/`);
}

/** The package name of a bare specifier: `@scope/name/sub` → `@scope/name`, `pg/lib` → `pg`. */
function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

function isNodeBuiltin(specifier) {
  if (specifier.startsWith('node:')) return true;
  return nodeBuiltins.has(specifier) || nodeBuiltins.has(specifier.split('/')[0] ?? '');
}

/** The top-level folder of an absolute path inside the repository, or undefined outside it. */
function topFolder(absolutePath) {
  const relative = path.relative(repositoryRoot, absolutePath);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  const segments = relative.split(path.sep);
  return segments.length > 1 ? segments[0] : '';
}

function toPosix(relativePath) {
  return relativePath.split(path.sep).join('/');
}

/**
 * Why `specifier`, imported from a file in `layerName`, breaks the layering; undefined if it does not.
 * @returns {string | undefined} what the import is, e.g. "'agent/engine/Engine.js' is in agent/"
 */
function violation(layerName, filename, specifier) {
  const layer = layers[layerName];
  const bare = specifier.replace(/[?#].*$/, '');
  if (bare.startsWith('.') || path.isAbsolute(bare)) {
    const target = path.resolve(path.dirname(filename), bare);
    const folder = topFolder(target);
    if (folder === undefined) return `'${specifier}' is outside the repository`;
    if (folder === layerName || layer.folders.includes(folder)) return undefined;
    const shown = toPosix(path.relative(repositoryRoot, target));
    return folder === '' ? `'${shown}' is a root file` : `'${shown}' is in ${folder}/`;
  }
  if (isNodeBuiltin(bare)) return layer.node ? undefined : `'${specifier}' is a Node built-in`;
  const name = packageName(bare);
  if (name === 'electron' && layer.deniedPackages.includes('electron')) {
    return `'${specifier}' is the Electron API`;
  }
  if (layer.deniedPackages.some((pattern) => packageMatches(name, pattern))) {
    return `'${specifier}' is a package this layer must not use`;
  }
  return undefined;
}

/** The source layer of a linted file, or undefined when the file is in no checked layer. */
function layerOf(filename) {
  const folder = topFolder(filename);
  return folder !== undefined && Object.hasOwn(layers, folder) ? folder : undefined;
}

/** The string literal of an import source node, if it is one. */
function literalValue(node) {
  if (!node) return undefined;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) {
    return node.quasis[0]?.value.cooked ?? undefined;
  }
  if (node.type === 'TSLiteralType') return literalValue(node.literal);
  return undefined;
}

/** @type {import('eslint').Rule.RuleModule} */
const importsRule = {
  meta: {
    type: 'problem',
    docs: {
      description: "Enforce DESIGN.md's layering: which folders and packages each layer may import",
    },
    schema: [],
    messages: {
      layer: '{{summary}}; {{what}}.',
    },
  },
  create(context) {
    const filename = context.filename;
    const layerName = layerOf(filename);
    if (!layerName) return {};

    function check(sourceNode) {
      const specifier = literalValue(sourceNode);
      if (specifier === undefined) return;
      const what = violation(layerName, filename, specifier);
      if (what) {
        context.report({
          node: sourceNode,
          messageId: 'layer',
          data: { summary: layers[layerName].summary, what },
        });
      }
    }

    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      CallExpression(node) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require') check(node.arguments[0]);
      },
      TSExternalModuleReference: (node) => check(node.expression),
      // typescript-eslint 8.x names the specifier `source` (older: `argument`, `parameter`).
      TSImportType: (node) => check('source' in node ? node.source : (node.argument ?? node.parameter)),
    };
  },
};

/** The ESLint plugin; the config enables its one rule as `layers/imports`. */
export const layersPlugin = {
  meta: { name: 'switchyard-layers' },
  rules: { imports: importsRule },
};

export default layersPlugin;
