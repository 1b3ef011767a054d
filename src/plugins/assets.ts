// Static files from our own origin (no CDN: township links are slow and some
// are cut off): read once, gzipped once, served with a content hash in the URL
// so browsers keep them for a year.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { viewsDir } from './view.js';

interface Asset {
  body: Buffer;
  gzip: Buffer;
  type: string;
  hash: string;
}

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

function load(path: string): Asset {
  const body = readFileSync(path);
  return {
    body,
    gzip: gzipSync(body, { level: 9 }),
    type: TYPES[extname(path)] ?? 'application/octet-stream',
    hash: createHash('sha256').update(body).digest('hex').slice(0, 12),
  };
}

export function loadAssets(): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  const dir = join(viewsDir, 'assets');
  for (const name of readdirSync(dir)) if (TYPES[extname(name)]) assets.set(name, load(join(dir, name)));
  const require = createRequire(import.meta.url);
  assets.set('htmx.min.js', load(require.resolve('htmx.org/dist/htmx.min.js')));
  return assets;
}

export default fp(
  async function assetsPlugin(app: FastifyInstance) {
    const assets = loadAssets();
    const urls: Record<string, string> = {};
    for (const [name, asset] of assets) urls[name] = `/assets/${name}?v=${asset.hash}`;
    app.decorate('assetUrls', urls);

    app.get<{ Params: { name: string }; Querystring: { v?: string } }>('/assets/:name', async (request, reply) => {
      const asset = assets.get(request.params.name);
      if (!asset) return reply.callNotFound();
      const etag = `"${asset.hash}"`;
      reply.header('ETag', etag).header('Vary', 'Accept-Encoding').type(asset.type);
      reply.header('Cache-Control', request.query.v === asset.hash ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
      if (request.headers['if-none-match'] === etag) return reply.code(304).send();
      if (/\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) {
        return reply.header('Content-Encoding', 'gzip').send(asset.gzip);
      }
      return reply.send(asset.body);
    });
  },
  { name: 'assets' },
);

declare module 'fastify' {
  interface FastifyInstance {
    assetUrls: Record<string, string>;
  }
}
