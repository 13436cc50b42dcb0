import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The layering rule (`layers/imports`, eslint.layers.js) as `npm run lint` runs it: the real
 * eslint.config.js, on snippets placed at paths inside each layer.
 */
const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: repositoryRoot });

/** The layering messages for `code` linted as if it were the file `filePath` (relative to the root). */
async function layerMessages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  if (!result) throw new Error(`ESLint returned no result for ${filePath}`);
  const fatal = result.messages.filter((message) => message.fatal);
  expect(fatal, 'the snippet must parse, or the rule never ran').toEqual([]);
  return result.messages.filter((message) => message.ruleId === 'layers/imports').map((message) => message.message);
}

const sharedRule = 'shared/ may import only shared/ (and pure npm packages such as zod)';
const agentRule = 'agent/ may import only shared/ (plus npm packages and Node built-ins)';
const electronRule =
  'electron/ may import only shared/ and resources/ assets (plus npm packages and Node built-ins; it starts the agent as a process, never imports it)';
const rendererRule = 'renderer/ may import only shared/ (and browser packages)';

interface Case {
  file: string;
  code: string;
  message: string;
}

const forbidden: Case[] = [
  // shared/: the pure contract.
  { file: 'shared/task.ts', code: "import fs from 'node:fs';", message: `${sharedRule}; 'node:fs' is a Node built-in.` },
  { file: 'shared/task.ts', code: "import path from 'path';", message: `${sharedRule}; 'path' is a Node built-in.` },
  {
    file: 'shared/nested/graph.ts',
    code: "import { EventEmitter } from 'events';",
    message: `${sharedRule}; 'events' is a Node built-in.`,
  },
  {
    file: 'shared/task.ts',
    code: "import { contextBridge } from 'electron';",
    message: `${sharedRule}; 'electron' is the Electron API.`,
  },
  {
    file: 'shared/task.ts',
    code: "import { useState } from 'react';",
    message: `${sharedRule}; 'react' is a package this layer must not use.`,
  },
  {
    file: 'shared/task.ts',
    code: "import Redis from 'ioredis';",
    message: `${sharedRule}; 'ioredis' is a package this layer must not use.`,
  },
  { file: 'shared/task.ts', code: "import pg from 'pg';", message: `${sharedRule}; 'pg' is a package this layer must not use.` },
  {
    file: 'shared/task.ts',
    code: "import type { Engine } from '../agent/engine/Engine.js';",
    message: `${sharedRule}; 'agent/engine/Engine.js' is in agent/.`,
  },
  {
    file: 'shared/task.ts',
    code: "export * from '../renderer/src/App.js';",
    message: `${sharedRule}; 'renderer/src/App.js' is in renderer/.`,
  },
  {
    file: 'shared/task.ts',
    code: "export type Crypto = typeof import('node:crypto');",
    message: `${sharedRule}; 'node:crypto' is a Node built-in.`,
  },
  {
    file: 'shared/task.ts',
    code: "export const load = () => import('../electron/main/index.js');",
    message: `${sharedRule}; 'electron/main/index.js' is in electron/.`,
  },
  // agent/: shared/ only among the repository's folders.
  {
    file: 'agent/engine/Engine.ts',
    code: "import { createWindow } from '../../electron/main/createWindow.js';",
    message: `${agentRule}; 'electron/main/createWindow.js' is in electron/.`,
  },
  {
    file: 'agent/api/console.ts',
    code: "export { App } from '../../renderer/src/App.js';",
    message: `${agentRule}; 'renderer/src/App.js' is in renderer/.`,
  },
  {
    file: 'agent/index.ts',
    code: "import { app } from 'electron';",
    message: `${agentRule}; 'electron' is the Electron API.`,
  },
  {
    file: 'agent/index.ts',
    code: "import { until } from '../test/helpers/until.js';",
    message: `${agentRule}; 'test/helpers/until.js' is in test/.`,
  },
  // electron/: never the agent's source, never the renderer.
  {
    file: 'electron/main/index.ts',
    code: "import { start } from '../../agent/index.js';",
    message: `${electronRule}; 'agent/index.js' is in agent/.`,
  },
  {
    file: 'electron/main/agentProcess.ts',
    code: "export const load = () => import('../../agent/index.js');",
    message: `${electronRule}; 'agent/index.js' is in agent/.`,
  },
  {
    file: 'electron/preload/index.ts',
    code: "import { App } from '../../renderer/src/App.js';",
    message: `${electronRule}; 'renderer/src/App.js' is in renderer/.`,
  },
  // renderer/: shared/ and browser packages only.
  {
    file: 'renderer/src/App.tsx',
    code: "import { Engine } from '../../agent/engine/Engine.js';",
    message: `${rendererRule}; 'agent/engine/Engine.js' is in agent/.`,
  },
  {
    file: 'renderer/src/App.tsx',
    code: "import { ipcRenderer } from 'electron';",
    message: `${rendererRule}; 'electron' is the Electron API.`,
  },
  {
    file: 'renderer/src/App.tsx',
    code: "import { shell } from 'electron/renderer';",
    message: `${rendererRule}; 'electron/renderer' is the Electron API.`,
  },
  {
    file: 'renderer/src/App.tsx',
    code: "import { readFile } from 'node:fs/promises';",
    message: `${rendererRule}; 'node:fs/promises' is a Node built-in.`,
  },
  {
    file: 'renderer/src/App.tsx',
    code: "import { readFile } from 'fs/promises';",
    message: `${rendererRule}; 'fs/promises' is a Node built-in.`,
  },
  {
    file: 'renderer/src/App.tsx',
    code: "import { createWindow } from '../../electron/main/createWindow.js';",
    message: `${rendererRule}; 'electron/main/createWindow.js' is in electron/.`,
  },
  {
    file: 'renderer/src/api/client.ts',
    code: "import pg from 'pg';",
    message: `${rendererRule}; 'pg' is a package this layer must not use.`,
  },
  {
    file: 'renderer/src/App.tsx',
    code: "const fs = require('fs');\nexport default fs;",
    message: `${rendererRule}; 'fs' is a Node built-in.`,
  },
  {
    file: 'renderer/src/App.tsx',
    code: "import os = require('os');\nexport default os;",
    message: `${rendererRule}; 'os' is a Node built-in.`,
  },
];

const allowed: Case[] = [
  { file: 'shared/task.ts', code: "export { retryDelay } from './retryDelay.js';", message: '' },
  { file: 'shared/schemas/task.ts', code: "import { taskStates } from '../task.js';\nexport { taskStates };", message: '' },
  { file: 'shared/schemas/task.ts', code: "import { z } from 'zod';\nexport const id = z.string();", message: '' },
  {
    file: 'agent/engine/redis/claim.ts',
    code: "import type { Task } from '../../../shared/task.js';\nimport { readFile } from 'node:fs/promises';\nimport Redis from 'ioredis';\nimport pg from 'pg';\nimport { Engine } from '../Engine.js';\nexport type { Task, Engine };\nexport { readFile, Redis, pg };",
    message: '',
  },
  {
    file: 'electron/main/index.ts',
    code: "import { app } from 'electron';\nimport path from 'node:path';\nimport { appBridgeKey } from '../../shared/ipc.js';\nimport icon from '../../resources/icon.svg?asset';\nimport { createWindow } from './createWindow.js';\nexport { app, path, appBridgeKey, icon, createWindow };",
    message: '',
  },
  {
    file: 'renderer/src/App.tsx',
    code: "import { useState } from 'react';\nimport { createRoot } from 'react-dom/client';\nimport type { AppBridge } from '../../shared/ipc.js';\nimport { Chart } from './charts/Chart.js';\nexport type { AppBridge };\nexport { useState, createRoot, Chart };",
    message: '',
  },
  // test/, bench/ and root config files may import anything.
  {
    file: 'test/electron/anything.test.ts',
    code: "import { app } from 'electron';\nimport fs from 'node:fs';\nimport { Engine } from '../../agent/engine/Engine.js';\nimport { App } from '../../renderer/src/App.js';\nexport { app, fs, Engine, App };",
    message: '',
  },
  {
    file: 'bench/run.ts',
    code: "import { Engine } from '../agent/engine/Engine.js';\nimport { createWindow } from '../electron/main/createWindow.js';\nexport { Engine, createWindow };",
    message: '',
  },
  {
    file: 'some.config.ts',
    code: "import { App } from './renderer/src/App.js';\nimport fs from 'node:fs';\nexport { App, fs };",
    message: '',
  },
];

describe('layers/imports', () => {
  it.each(forbidden)('rejects $code in $file', async ({ file, code, message }) => {
    expect(await layerMessages(file, code)).toEqual([message]);
  });

  it.each(allowed)('accepts $code in $file', async ({ file, code }) => {
    expect(await layerMessages(file, code)).toEqual([]);
  });

  it('is enabled for every source layer by eslint.config.js', async () => {
    for (const file of ['shared/x.ts', 'agent/x.ts', 'electron/main/x.ts', 'renderer/src/x.tsx']) {
      const config = (await eslint.calculateConfigForFile(file)) as { rules?: Record<string, unknown> };
      expect(config.rules?.['layers/imports'], file).toEqual([2]);
    }
  });
});
