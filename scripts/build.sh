#!/usr/bin/env bash
# Builds the npm package into pkg/: the wasm core, its web-target glue, the JS harness and types,
# the facts shared with Rust (shared.js and the ErrorCode union, generated from src/), a CommonJS
# bundle for `require`, the README and licence. The glue's TypeScript declarations go to
# target/js-types/ (not published), where `make lint` checks the harness against them.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

# The facts shared with Rust must parse before anything is compiled (see scripts/gen-shared.mjs).
node scripts/gen-shared.mjs --check >/dev/null
# CREDCORE_OPT_LEVEL=z builds the credcore crate (not its dependencies) for size: the default
# module about 130 KB smaller, the VC-JWT and SD-JWT batches about 10% slower (README, "Module
# size"). Unset, Cargo.toml's profile decides ("s").
opt_level=()
case "${CREDCORE_OPT_LEVEL:-}" in
  "") ;;
  s | z | 2 | 3) opt_level=(--config "profile.release.package.credcore.opt-level=\"$CREDCORE_OPT_LEVEL\"") ;;
  *) echo "CREDCORE_OPT_LEVEL must be one of s, z, 2, 3" >&2; exit 2 ;;
esac
cargo build --quiet --release --target wasm32-unknown-unknown --lib "${opt_level[@]}"
rm -rf pkg
mkdir -p pkg
# --experimental-reset-state-function: the glue exports `__wbg_reset_state()`, which replaces a
# trapped instance with a fresh one from the same compiled module (state.js and worker.js call
# it after a trap; objects of the old instance then refuse to be used).
wasm-bindgen --target web --no-typescript --experimental-reset-state-function --out-dir pkg --out-name credcore_wasm \
  target/wasm32-unknown-unknown/release/credcore.wasm
# The glue's declarations, for `make lint` only (the published glue names no .d.ts).
rm -rf target/js-types/glue && mkdir -p target/js-types
wasm-bindgen --target web --experimental-reset-state-function --out-dir target/js-types/glue --out-name credcore_wasm \
  target/wasm32-unknown-unknown/release/credcore.wasm
mv target/js-types/glue/credcore_wasm.d.ts target/js-types/credcore_wasm.d.ts
rm -rf target/js-types/glue

# A lazily loaded module: its crate built for wasm32 into pkg/NAME_bg.wasm with its own glue
# (the same trap reset), and the glue's declarations beside the main module's for `make lint`.
lazy_module() {
  local crate=$1 name=$2 file=${1//-/_}
  cargo build --quiet --release --target wasm32-unknown-unknown -p "$crate" "${opt_level[@]}"
  wasm-bindgen --target web --no-typescript --experimental-reset-state-function --out-dir pkg --out-name "$name" \
    "target/wasm32-unknown-unknown/release/$file.wasm"
  wasm-bindgen --target web --experimental-reset-state-function --out-dir "target/js-types/$name-glue" --out-name "$name" \
    "target/wasm32-unknown-unknown/release/$file.wasm"
  mv "target/js-types/$name-glue/$name.d.ts" "target/js-types/$name.d.ts"
  rm -rf "target/js-types/$name-glue"
}
# The Data Integrity module (credcore-ld: JSON-LD and RDFC-1.0), loaded only where an item needs
# it (pkg-template/data-integrity.js).
lazy_module credcore-ld-wasm credcore_ld
# The keys module (X.509 path validation of x5c chains: credcore with the `x509` feature and no
# boundary), loaded only where a chain is validated (pkg-template/keys-module.js).
lazy_module credcore-keys-wasm credcore_keys
# The issuing module (issuance, SD-JWT issuance and presentation, status lists, the audit chain,
# sessions, key generation: credcore with the `issuing` half of the boundary), loaded on first
# use (pkg-template/issuing.js).
lazy_module credcore-issuing-wasm credcore_issuing

# Debian's wasm-opt (108) corrupts --target web output; the npm binaryen package's is sound.
if [ "${CREDCORE_NO_WASM_OPT:-0}" != 1 ] && [ -x node_modules/.bin/wasm-opt ]; then
  # The default module is optimized for speed (-O3: its verification paths' own work about 0.8x
  # the time of -Os, for about 9 KB; README, "Performance"), the lazily loaded ones for size.
  # CREDCORE_WASM_OPT sets the flags of all four (for example "-Os -g" for profiles).
  for wasm in pkg/credcore_wasm_bg.wasm pkg/credcore_ld_bg.wasm pkg/credcore_keys_bg.wasm pkg/credcore_issuing_bg.wasm; do
    level=-Os
    [ "$wasm" = pkg/credcore_wasm_bg.wasm ] && level=-O3
    # shellcheck disable=SC2086 # the flags are words
    node_modules/.bin/wasm-opt ${CREDCORE_WASM_OPT:-$level} \
      --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals --enable-reference-types --enable-multivalue --enable-simd \
      "$wasm" -o "$wasm"
  done
fi

cp pkg-template/*.js pkg-template/*.d.ts pkg/
# Every folder of the harness (bin/, pool/, ...), as it is.
for dir in pkg-template/*/; do cp -r "$dir" pkg/; done
# The browser worker as one file with the glue it imports: bundlers that move no workers
# (esbuild, Rollup) need only it and the .wasm beside the bundle. worker.node.js imports as is.
node_modules/.bin/esbuild pkg/worker.js --bundle --format=esm --platform=browser --log-level=warning \
  --allow-overwrite --outfile=pkg/worker.js
# shared.js (ERROR_CODES, CACHE_DEFAULTS; a copy beside the glue's declarations for `make lint`)
# and the ErrorCode union, from src/error.rs and src/verifier/config.rs.
node scripts/gen-shared.mjs --out pkg --out target/js-types --dts pkg/index.d.ts
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
ld_size=$(wc -c < pkg/credcore_ld_bg.wasm)
keys_size=$(wc -c < pkg/credcore_keys_bg.wasm)
issuing_size=$(wc -c < pkg/credcore_issuing_bg.wasm)
echo "built pkg/ (credcore $version, wasm $((size / 1024)) KiB, Data Integrity module $((ld_size / 1024)) KiB, keys module $((keys_size / 1024)) KiB, issuing module $((issuing_size / 1024)) KiB)"
