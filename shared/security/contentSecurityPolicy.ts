/**
 * The Content-Security-Policy of the console's pages, wherever they are served: by every agent at
 * `/` (the web console) and by the desktop app's gateway. Only the page's own origin may supply
 * scripts, styles, images, fonts and connections; `'self'` also admits the same-origin `ws:`/`wss:`
 * event stream (CSP Level 3). Nothing may frame the page, and it may post no form anywhere.
 * `renderer/index.html` carries the same policy in a `<meta>` tag; browsers enforce both.
 */
export const consoleContentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
