// credcore browser demo: a zero-dependency static server on 127.0.0.1 for www/ and the built
// package under /pkg/. `node www/serve.mjs` (PORT, default 8080) or `start({ port: 0 })`.

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** The file under `root` that a URL path names, or null when it would leave `root`. */
function within(root, urlPath) {
  const file = resolve(root, '.' + urlPath);
  return file === root || file.startsWith(root + sep) ? file : null;
}

async function fileFor(routes, urlPath) {
  for (const [prefix, root] of routes) {
    if (!urlPath.startsWith(prefix)) continue;
    let file = within(root, urlPath.slice(prefix.length - 1));
    if (file === null) return null;
    const info = await stat(file).catch(() => null);
    if (info?.isDirectory()) file = join(file, 'index.html');
    return file;
  }
  return null;
}

/**
 * Starts the server. `port` 0 picks a free one; `pkgDir` is the built package (default `pkg/`
 * beside `www/`). Resolves to `{ url, port, close }`.
 * @param {{ port?: number, host?: string, pkgDir?: string, wwwDir?: string }} [options]
 */
export async function start(options = {}) {
  const host = options.host ?? '127.0.0.1';
  const routes = [
    ['/pkg/', resolve(options.pkgDir ?? join(here, '..', 'pkg'))],
    ['/', resolve(options.wwwDir ?? here)],
  ];
  const server = createServer(async (req, res) => {
    let urlPath;
    try {
      urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const file = await fileFor(routes, urlPath);
    const body = file === null ? null : await readFile(file).catch(() => null);
    if (body === null) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': body.length,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 8080, host, ok);
  });
  const { port } = server.address();
  const url = `http://${host}:${port}/`;
  return {
    url,
    port,
    close: () => new Promise((ok) => {
      server.closeAllConnections?.();
      server.close(() => ok());
    }),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = Number.parseInt(process.env.PORT ?? '8080', 10);
  const { url } = await start({ port: Number.isFinite(port) ? port : 8080 });
  console.log(`credcore demo: ${url}`);
}
