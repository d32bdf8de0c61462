#!/usr/bin/env bash
# Runs every suite (native Rust, wasm in Node, wasm in headless Chromium, the JS package suites,
# the bundler matrix),
# fails when any suite fails or runs zero tests, and ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
logs=$(mktemp -d)
total_pass=0
total_fail=0
status=0

# Sums cargo/libtest "test result:" lines of a log: prints "passed failed".
count_libtest() {
  grep -E '^test result: ' "$1" | sed -E 's/.* ([0-9]+) passed; ([0-9]+) failed.*/\1 \2/' |
    awk '{ p += $1; f += $2 } END { print p + 0, f + 0 }'
}
# node:test's spec reporter summary.
count_node() {
  local p f
  p=$(grep -E '^ℹ pass [0-9]+' "$1" | tail -n 1 | awk '{ print $3 }')
  f=$(grep -E '^ℹ fail [0-9]+' "$1" | tail -n 1 | awk '{ print $3 }')
  echo "${p:-0} ${f:-0}"
}

run_suite() {
  local name=$1 kind=$2
  shift 2
  local log="$logs/$name.log"
  echo "=== $name: $*"
  "$@" >"$log" 2>&1
  local rc=$?
  local counts pass fail
  if [ "$kind" = libtest ]; then counts=$(count_libtest "$log"); else counts=$(count_node "$log"); fi
  read -r pass fail <<<"$counts"
  if [ "$rc" -ne 0 ] || [ "$fail" -ne 0 ] || [ "$pass" -eq 0 ]; then
    status=1
    tail -n 60 "$log"
    if [ "$pass" -eq 0 ] && [ "$fail" -eq 0 ]; then
      echo "!!! $name ran zero tests (exit $rc)"
      fail=1
    elif [ "$fail" -eq 0 ]; then
      echo "!!! $name exited with $rc"
      fail=1
    fi
  fi
  echo "--- $name: $pass passed, $fail failed"
  total_pass=$((total_pass + pass))
  total_fail=$((total_fail + fail))
}

run_suite rust-native libtest cargo test --release --all-targets
run_suite rust-ld libtest cargo test --release -p credcore-ld -p credcore-ld-wasm -p credcore-keys-wasm -p credcore-issuing-wasm --all-targets
run_suite rust-doc libtest cargo test --release --doc
run_suite wasm-node libtest wasm-pack test --node --release -- --test wasm_node
CHROMEDRIVER=${CHROMEDRIVER:-$(command -v chromedriver)} \
  run_suite wasm-chromium libtest wasm-pack test --headless --chrome --release -- --test wasm_browser
run_suite js node bash scripts/test-js.sh
run_suite bundlers node bash scripts/test-bundlers.sh

rm -rf "$logs"
echo "$total_pass passed, $total_fail failed"
exit $status
