#!/usr/bin/env bash
# The bundler matrix (tests/bundlers/): the packed package built into small apps by Vite 6 and 8
# (dev server, build + preview), webpack 5, esbuild, Rollup, Parcel and Next.js, checked in headless
# Chromium, and into Node bundles (esbuild --platform=node) run by Node. Each app's pinned
# dependencies are installed once into its node_modules/ and reused while its lock is unchanged.
# BUNDLERS=vite6,webpack selects apps.
set -euo pipefail
cd "$(dirname "$0")/.."
node --test --test-concurrency=1 --test-reporter=spec tests/bundlers/bundlers.test.mjs
