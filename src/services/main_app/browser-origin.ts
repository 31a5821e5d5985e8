/**
 * Which pages may open the browser WebSocket. A browser sends the page's `Origin` with every
 * WebSocket handshake, and WebSockets are not bound by the same-origin policy: without this
 * check any web site a trader visits could open `ws://localhost:3000/ws` in the background.
 *
 * Allowed: the UI's own origin (the Origin's host:port equals the Host the request was sent to
 * — also true behind the Vite dev proxy and a reverse proxy that passes Host on), origins listed
 * explicitly, and clients that send no Origin at all (scripts and tools: not a browser page).
 */
export function isAllowedOrigin(
  origin: string | undefined,
  host: string | undefined,
  allowedOrigins: readonly string[] = [],
): boolean {
  if (origin === undefined) return true;
  if (allowedOrigins.includes(origin)) return true;
  let url: URL;
  try {
    url = new URL(origin); // "null" (sandboxed frames, files) does not parse: refused
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  return host !== undefined && url.host.toLowerCase() === host.toLowerCase();
}
