#!/usr/bin/env bash
# Fuzzing (`make fuzz`; not part of `make test`): builds the cargo-fuzz targets of fuzz/ with the
# nightly toolchain and runs them one after another, each for FUZZ_SECONDS, then prints one
# summary line per target.
#
# Environment:
#   FUZZ_SECONDS   seconds per target (default 600)
#   FUZZ_TARGETS   targets to run, separated by spaces or commas (default: all, see
#                  `cargo +nightly fuzz list --fuzz-dir fuzz`)
#   FUZZ_TIMEOUT   seconds one input may take before it counts as a timeout (default 10)
#   FUZZ_RSS_MB    memory limit of the fuzzing process, in MB (default 2048)
#   FUZZ_FORK      1 (default): libFuzzer's fork mode, which keeps fuzzing after a crash,
#                  timeout or OOM for the rest of the time; 0: stop a target at its first finding
#   FUZZ_SANITIZER none (default) or address: the crate forbids unsafe code, so AddressSanitizer
#                  adds little to Rust's own checks here and halves the executions per second
#   FUZZ_FEATURES  cargo features of the fuzz crate, e.g. "strict" (fail on the known divergences
#                  that targets otherwise tolerate; see fuzz/regressions/)
#   FUZZ_ARGS      more libFuzzer arguments (e.g. "-max_len=65536")
#
# Seeds from fuzz/seeds/<target>/ are copied into fuzz/corpus/<target>/ (kept between runs);
# findings land in fuzz/artifacts/<target>/, run logs in fuzz/target/logs/. The exit status is 1
# when a run found anything. Minimize a finding with
#   cargo +nightly fuzz tmin --fuzz-dir fuzz --sanitizer none <target> fuzz/artifacts/<target>/<file>
# and reproduce it with `cargo +nightly fuzz run --fuzz-dir fuzz <target> <file>` (add
# `--sanitizer none` for the default build of this script).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

FUZZ_SECONDS=${FUZZ_SECONDS:-600}
FUZZ_TIMEOUT=${FUZZ_TIMEOUT:-10}
FUZZ_RSS_MB=${FUZZ_RSS_MB:-2048}
FUZZ_FORK=${FUZZ_FORK:-1}
FUZZ_SANITIZER=${FUZZ_SANITIZER:-none}
FUZZ_FEATURES=${FUZZ_FEATURES:-}
FUZZ_ARGS=${FUZZ_ARGS:-}

if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  echo "fuzz: installing the nightly toolchain" >&2
  rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz: installing cargo-fuzz" >&2
  cargo install cargo-fuzz --locked
fi

fuzz() { cargo +nightly fuzz "$@"; }
build_args=(--fuzz-dir fuzz --sanitizer "$FUZZ_SANITIZER")
if [[ -n "$FUZZ_FEATURES" ]]; then
  build_args+=(--features "$FUZZ_FEATURES")
fi

all=$(fuzz list --fuzz-dir fuzz)
if [[ -n "${FUZZ_TARGETS:-}" ]]; then
  targets=$(tr ',' ' ' <<<"$FUZZ_TARGETS")
  for t in $targets; do
    grep -qx "$t" <<<"$all" || { echo "fuzz: no target '$t' (targets: $(echo $all))" >&2; exit 2; }
  done
else
  targets=$all
fi

echo "fuzz: building $(wc -w <<<"$targets") target(s)" >&2
if [[ -z "${FUZZ_TARGETS:-}" ]]; then
  fuzz build "${build_args[@]}"
else
  for t in $targets; do fuzz build "${build_args[@]}" "$t"; done
fi

logs=fuzz/target/logs
mkdir -p "$logs"
fork_args=()
if [[ "$FUZZ_FORK" == 1 ]]; then
  fork_args=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
fi

count() { find "$1" -maxdepth 1 -type f -name "$2" 2>/dev/null | wc -l; }

summary=()
found=0
for t in $targets; do
  corpus=fuzz/corpus/$t
  artifacts=fuzz/artifacts/$t
  mkdir -p "$corpus" "$artifacts"
  if [[ -d fuzz/seeds/$t ]]; then
    cp -n fuzz/seeds/"$t"/* "$corpus"/ 2>/dev/null || true
  fi
  before_crash=$(count "$artifacts" 'crash-*')
  before_timeout=$(count "$artifacts" 'timeout-*')
  before_oom=$(count "$artifacts" 'oom-*')
  before_leak=$(count "$artifacts" 'leak-*')
  log=$logs/$t.log
  echo "fuzz: $t for ${FUZZ_SECONDS}s (log: $log)" >&2
  start=$(date +%s)
  # shellcheck disable=SC2086
  fuzz run "${build_args[@]}" "$t" "$corpus" -- \
    -max_total_time="$FUZZ_SECONDS" -timeout="$FUZZ_TIMEOUT" -rss_limit_mb="$FUZZ_RSS_MB" \
    -print_final_stats=1 "${fork_args[@]}" $FUZZ_ARGS >"$log" 2>&1 || true
  elapsed=$(( $(date +%s) - start ))
  (( elapsed > 0 )) || elapsed=1

  # Executions: the final stats (single process) or the last status line (fork mode).
  execs=$(grep -oE '^stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1 || true)
  if [[ -z "$execs" ]]; then
    execs=$(grep -oE '^#[0-9]+' "$log" | tr -d '#' | tail -1 || true)
  fi
  execs=${execs:-0}
  crashes=$(( $(count "$artifacts" 'crash-*') - before_crash ))
  timeouts=$(( $(count "$artifacts" 'timeout-*') - before_timeout ))
  ooms=$(( $(count "$artifacts" 'oom-*') - before_oom ))
  leaks=$(( $(count "$artifacts" 'leak-*') - before_leak ))
  events=$(grep -oE 'oom/timeout/crash: [0-9]+/[0-9]+/[0-9]+' "$log" | tail -1 | cut -d' ' -f2 || true)
  corpus_size=$(count "$corpus" '*')
  line=$(printf '%-18s execs=%-10s execs/s=%-7s corpus=%-6s crashes=%s timeouts=%s ooms=%s leaks=%s%s' \
    "$t" "$execs" "$(( execs / elapsed ))" "$corpus_size" "$crashes" "$timeouts" "$ooms" "$leaks" \
    "${events:+ (events oom/timeout/crash: $events)}")
  echo "$line"
  summary+=("$line")
  if (( crashes + timeouts + ooms + leaks > 0 )); then
    found=1
  fi
done

echo
echo "fuzz summary (${FUZZ_SECONDS}s per target):"
printf '%s\n' "${summary[@]}"
exit "$found"
