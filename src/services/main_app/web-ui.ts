/**
 * Serves the built browser app (web/dist, made by `npm run build:web`) at `/`.
 *
 * - A path with a file extension is a file of the build (`/assets/index-3f2a.js`): served, with
 *   a year's immutable cache for the hashed assets; a missing one is a 404 problem.
 * - Any other GET is a screen of the single-page app: index.html (never cached, so a rebuild
 *   reaches browsers at once).
 * - `/api/…`, `/ws…`, `/health`, `/metrics` are never the app: an unknown API path stays a
 *   problem+json 404 (the API routes themselves match first).
 * - Without a build, every app path answers 503 in plain text saying how to make one — not a
 *   page that pretends to work. The check is per request, so building while running is enough.
 */
import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { notFound } from '../../core/http/problem.ts';
import type { ServiceContext } from '../../core/service/service.ts';

export const DEFAULT_WEB_DIST = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

const NOT_APP = /^\/(api|ws)(\/|$)|^\/(health|metrics)$/;
const YEAR_SECONDS = 365 * 24 * 3600;

export async function registerWebUi(
  ctx: Pick<ServiceContext, 'http'>,
  distDir = DEFAULT_WEB_DIST,
): Promise<void> {
  const index = join(distDir, 'index.html');
  // serve: false — only reply.sendFile; the routing (and the SPA fallback) is ours below.
  await ctx.http.register(fastifyStatic, { root: distDir, serve: false, suppressWarning: true });

  ctx.http.get<{ Params: { '*': string } }>('/*', async (request, reply) => {
    const path = `/${request.params['*']}`; // decoded by the router
    if (NOT_APP.test(path)) throw notFound(`no route ${request.method} ${path}`);
    if (!existsSync(index)) {
      return reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(
          'The REC.IO web UI is not built (web/dist/index.html is missing).\n' +
            'Build it with:  npm run build:web   (npm install does it too)\n' +
            'The API answers meanwhile: /health, /api/system/services, /api/strike-table/btc …\n',
        );
    }
    if (extname(path) !== '') {
      const hashed = path.startsWith('/assets/');
      return reply.sendFile(path.slice(1), {
        immutable: hashed,
        maxAge: hashed ? YEAR_SECONDS * 1000 : 0,
      });
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
  });
}
