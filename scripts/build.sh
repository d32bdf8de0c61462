#!/usr/bin/env bash
# Builds the npm package into pkg/: the wasm core, its web-target glue, the JS harness and types,
# a CommonJS bundle for `require`, the README and licence.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

cargo build --quiet --release --target wasm32-unknown-unknown --lib
rm -rf pkg
mkdir -p pkg
# --experimental-reset-state-function: the glue exports `__wbg_reset_state()`, which replaces a
# trapped instance with a fresh one from the same compiled module (state.js and worker.js call
# it after a trap; objects of the old instance then refuse to be used).
wasm-bindgen --target web --no-typescript --experimental-reset-state-function --out-dir pkg --out-name credcore_wasm \
  target/wasm32-unknown-unknown/release/credcore.wasm

# Debian's wasm-opt (108) corrupts --target web output; the npm binaryen package's is sound.
if [ "${CREDCORE_NO_WASM_OPT:-0}" != 1 ] && [ -x node_modules/.bin/wasm-opt ]; then
  node_modules/.bin/wasm-opt ${CREDCORE_WASM_OPT:--Os} \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue --enable-simd \
    pkg/credcore_wasm_bg.wasm -o pkg/credcore_wasm_bg.wasm
fi

cp pkg-template/*.js pkg-template/*.d.ts pkg/
[ -d pkg-template/bin ] && cp -r pkg-template/bin pkg/
cp pkg/index.d.ts pkg/index.d.cts
cp README.md pkg/README.md
[ -f LICENSE ] && cp LICENSE pkg/LICENSE
version=$(awk -F '"' '/^version = / { print $2; exit }' Cargo.toml)
node -e '
  const fs = require("fs");
  const p = JSON.parse(fs.readFileSync("pkg-template/package.json", "utf8"));
  p.version = process.argv[1];
  fs.writeFileSync("pkg/package.json", JSON.stringify(p, null, 2) + "\n");
' "$version"

# CommonJS build for `require('credcore')` on every Node >= 20.
node_modules/.bin/esbuild pkg/index.node.js --bundle --platform=node --format=cjs --log-level=warning \
  --define:import.meta.url=__credcore_import_meta_url \
  --banner:js='const __credcore_import_meta_url = require("url").pathToFileURL(__filename).href;' \
  --outfile=pkg/index.cjs

size=$(wc -c < pkg/credcore_wasm_bg.wasm)
echo "built pkg/ (credcore $version, wasm $((size / 1024)) KiB)"
