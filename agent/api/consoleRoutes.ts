import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { consoleContentSecurityPolicy } from '../../shared/security/contentSecurityPolicy.js';
import { consoleContentTypes } from '../../shared/consoleAssets.js';

/**
 * The web console: the renderer bundle (`out/renderer`, built by `npm run build`) served at `/`.
 *
 * - `/` and every other GET path that is not the API, `/metrics` or a health route answers
 *   `index.html`, so the console can route on the client.
 * - `/assets/<file>` (also below a client-side route, `/queues/assets/<file>`) answers the file with its content type; names there carry a content hash,
 *   so they are cached for a year. `index.html` is never cached, so a new build shows at once.
 * - Paths that leave the folder (`..`, encoded or not) are refused with 404.
 * - Without a build, `/` answers 503 with a page that says to run `npm run build`.
 *
 * The console's pages get the renderer's strict Content-Security-Policy, in place of helmet's
 * default: only the agent's own scripts, styles and connections (`'self'` also admits the
 * same-origin `ws:`/`wss:` event stream).
 */

export interface ConsoleRoutesOptions {
  /** The built renderer folder; `out/renderer` beside the package by default. */
  directory?: string;
}

/** `out/renderer` relative to this file, from both `agent/api/` (tsx) and `dist/agent/api/` (built). */
export function defaultConsoleDirectory(): string {
  const here = import.meta.dirname;
  const packageRoot = here.includes(`${sep}dist${sep}`) ? resolve(here, '../../..') : resolve(here, '../..');
  return join(packageRoot, 'out', 'renderer');
}

export { consoleContentSecurityPolicy };


/** Paths owned by other routes: an unknown one there is a JSON 404, not the console. */
const notConsole = /^\/(api|metrics|health|ready|live)(\/|$)/;

const notBuiltPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Switchyard console not built</title></head>
<body><h1>The console is not built</h1>
<p>This agent serves the web console from <code>out/renderer</code>, which does not exist yet.
Run <code>npm run build</code> (or <code>npx electron-vite build</code>) and reload.</p>
<p>The API is available at <code>/api/v1</code>.</p></body></html>
`;

export function consoleRoutes(server: FastifyInstance, options: ConsoleRoutesOptions = {}): void {
  const directory = resolve(options.directory ?? defaultConsoleDirectory());
  const assets = join(directory, 'assets');

  const sendIndex = async (reply: FastifyReply) => {
    reply.header('cache-control', 'no-cache').header('content-security-policy', consoleContentSecurityPolicy);
    const html = await readFile(join(directory, 'index.html')).catch(() => undefined);
    if (!html) return reply.code(503).type('text/html; charset=utf-8').send(notBuiltPage);
    return reply.type('text/html; charset=utf-8').send(html);
  };

  const sendAsset = async (request: FastifyRequest, reply: FastifyReply, relative: string) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(relative);
    } catch {
      return reply.callNotFound();
    }
    const file = resolve(assets, decoded);
    if (decoded.includes('\0') || !file.startsWith(assets + sep)) return reply.callNotFound();
    const facts = await stat(file).catch(() => undefined);
    if (!facts?.isFile()) return reply.callNotFound();
    const body = await readFile(file);
    return reply
      .type(consoleContentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .send(request.method === 'HEAD' ? undefined : body);
  };

  server.get('/', (_request, reply) => sendIndex(reply));
  server.get('/assets/*', (request, reply) => sendAsset(request, reply, (request.params as { '*': string })['*']));
  server.get('/*', (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (notConsole.test(path)) return reply.callNotFound();
    // index.html links its assets relatively (`./assets/…`, as the desktop app loads it from a
    // file), so a client-side route such as `/queues/mail` asks for `/queues/assets/…`.
    const nestedAsset = /\/assets\/([^/]+)$/.exec(path);
    if (nestedAsset?.[1]) return sendAsset(request, reply, nestedAsset[1]);
    if (extname(path) !== '') return reply.callNotFound();
    return sendIndex(reply);
  });
}
