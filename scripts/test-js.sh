#!/usr/bin/env bash
# Packs pkg/ with npm, installs the tarball into tests/js/ (as a user would), and runs the JS
# suites with node:test: shared suites in Node and headless Chromium, CommonJS, TypeScript,
# packaging, and interop with peer libraries. Extra arguments select test files.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p tests/js/.tmp
rm -f tests/js/.tmp/credcore-*.tgz
tarball=$(cd tests/js/.tmp && npm pack ../../../pkg --silent --loglevel=error | tail -n 1)
tarball="$PWD/tests/js/.tmp/$tarball"
(cd tests/js && rm -rf node_modules/credcore && npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error "$tarball")
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  mapfile -t files < <(ls tests/js/*.test.mjs tests/js/*.test.cjs 2>/dev/null)
fi
CREDCORE_TARBALL="$tarball" node --test --test-concurrency=1 --test-reporter=spec "${files[@]}"
