// credcore: where the package's own files are, in Node. Beside the module that asks when it runs
// from the installed package (or a bundler copied the file beside the bundle); otherwise, when a
// bundler folded the package into an application bundle, the installed package's copy, found
// with Node's resolver from the bundle's location, then from the working directory.

// @ts-check

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CredcoreError } from './errors.js';

/**
 * The URL of the module that runs this code: `import.meta.url`, or in a CommonJS bundle (where
 * bundlers leave `import.meta` empty) the bundle's `__filename`; null when neither is known.
 * @param {string | undefined} metaUrl `import.meta.url` of the caller
 */
export function hereUrl(metaUrl) {
  if (typeof metaUrl === 'string' && metaUrl !== '') return metaUrl;
  // eslint-disable-next-line no-undef
  if (typeof __filename === 'string' && __filename !== '') return pathToFileURL(__filename).href;
  return null;
}

/**
 * Finds one of the package's files.
 * @param {() => URL} beside the file beside the calling module, as `new URL('./name', import.meta.url)`
 *   (written that way in the caller, where bundlers recognize it)
 * @param {string} subpath the package's export of that file, e.g. `credcore/credcore_wasm_bg.wasm`
 * @param {string} what what the file is, for the message
 * @returns {URL} a file: URL that exists
 */
export function packageFile(beside, subpath, what) {
  const tried = [];
  const bases = [];
  try {
    const url = beside();
    // A bundler may rewrite it to a URL it serves (Next.js: `/_next/static/media/...`), not a
    // file this process can read: then the installed package's copy.
    if (url.protocol === 'file:') {
      if (existsSync(url)) return url;
      tried.push(fileURLToPath(url));
      bases.push(url.href);
    } else {
      tried.push(`${String(url)} (not a file)`);
    }
  } catch {
    // No import.meta.url (a CommonJS bundle): the resolver below.
  }
  const own = hereUrl(undefined);
  if (own !== null) bases.push(own);
  bases.push(pathToFileURL(`${process.cwd()}/`).href);
  for (const base of bases) {
    try {
      const found = createRequire(base).resolve(subpath);
      if (existsSync(found)) return pathToFileURL(found);
    } catch {
      tried.push(`${subpath} from ${fileURLToPath(base)}`);
    }
  }
  throw new CredcoreError(
    'NOT_INITIALIZED',
    `credcore: cannot find ${what} (tried ${tried.join('; ')}). When credcore is bundled for Node, `
      + `keep the credcore package installed beside the bundle, or copy ${subpath.slice(subpath.indexOf('/') + 1)} next to the bundle, `
      + 'or mark credcore as external (esbuild --external:credcore, webpack externals)',
  );
}
