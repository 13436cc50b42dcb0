/**
 * Whether an IPC call comes from the app's own page. Every window loads the renderer from the
 * gateway (`http://127.0.0.1:<port>/`), and navigation is locked there, so a frame whose URL has
 * another origin (a page that got loaded despite the lock, a `data:` or `file:` document, a
 * subframe) is refused before its arguments are even read. Pure, so it is unit-tested; the Electron
 * glue (`registerIpcHandlers.ts`) adds that the sender must be one of the app's windows and the
 * call must come from its main frame.
 */
export function isTrustedSender(frameUrl: string | undefined, gatewayOrigin: string): boolean {
  if (!frameUrl) return false;
  let url: URL;
  try {
    url = new URL(frameUrl);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' || url.username !== '' || url.password !== '') return false;
  return url.origin === gatewayOrigin;
}
