// A static file server on 127.0.0.1 for the browser suites: /pkg/ is the installed package,
// everything else is tests/js/. Only loopback; closed by the caller.

import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.html': 'text/html', '.wasm': 'application/wasm', '.json': 'application/json', '.css': 'text/css', '.svg': 'image/svg+xml' };

export async function serve(routes) {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const path = decodeURIComponent(url.pathname);
    const [prefix, root] = Object.entries(routes).find(([p]) => path.startsWith(p)) ?? [];
    if (!root) { res.writeHead(404).end(); return; }
    const rel = normalize(path.slice(prefix.length)).replace(/^(\.\.(\/|\\|$))+/, '');
    try {
      const body = await readFile(join(root, rel || 'index.html'));
      res.writeHead(200, { 'content-type': TYPES[extname(rel)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

export const here = (importMetaUrl) => fileURLToPath(new URL('.', importMetaUrl));
