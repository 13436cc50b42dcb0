import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { consoleContentSecurityPolicy } from '../../../shared/security/contentSecurityPolicy.js';
import { consoleContentTypes } from '../../../shared/consoleAssets.js';

/**
 * `out/renderer`: beside the bundled main process (`out/main/index.js`) in a build, at the
 * repository root when run from source.
 */
export function defaultRendererDirectory(): string {
  const here = import.meta.dirname;
  return here.includes(`${sep}out${sep}main`) ? resolve(here, '../renderer') : resolve(here, '../../../out/renderer');
}


const notBuiltPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Switchyard is not built</title></head>
<body><h1>The app's pages are not built</h1>
<p>Run <code>npm run build</code> (or <code>npx electron-vite build</code>) and start the app again.</p></body></html>
`;

/**
 * Serves the built renderer as the agent's console routes do (agent/api/consoleRoutes.ts): an
 * extension-less path answers `index.html` (never cached, with the console's strict CSP);
 * `/assets/<file>`, also below a client-side route, answers the file, cached for a year (vite
 * puts a content hash in every asset name); anything else, or a path leaving the folder, is 404.
 * Without a build, pages answer 503 saying how to build.
 */
export async function serveRenderer(request: IncomingMessage, response: ServerResponse, directory: string, path: string): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('only GET and HEAD are served here\n');
    return;
  }
  const asset = /\/assets\/([^/]+)$/.exec(path)?.[1];
  if (asset !== undefined) return sendAsset(request, response, join(directory, 'assets'), asset);
  if (extname(path) !== '') return notFound(response);
  const html = await readFile(join(directory, 'index.html')).catch(() => undefined);
  const headers = { 'cache-control': 'no-cache', 'content-security-policy': consoleContentSecurityPolicy, 'content-type': 'text/html; charset=utf-8', 'x-content-type-options': 'nosniff' };
  if (!html) {
    response.writeHead(503, headers).end(notBuiltPage);
    return;
  }
  response.writeHead(200, headers).end(request.method === 'HEAD' ? undefined : html);
}

async function sendAsset(request: IncomingMessage, response: ServerResponse, assets: string, relative: string): Promise<void> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    return notFound(response);
  }
  const file = resolve(assets, decoded);
  if (decoded.includes('\0') || !file.startsWith(assets + sep)) return notFound(response);
  const facts = await stat(file).catch(() => undefined);
  if (!facts?.isFile()) return notFound(response);
  const body = await readFile(file);
  response
    .writeHead(200, {
      'content-type': consoleContentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
    })
    .end(request.method === 'HEAD' ? undefined : body);
}

function notFound(response: ServerResponse): void {
  response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
}
