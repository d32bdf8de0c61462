# credcore: `make demo` runs the main job, `make test` runs every suite. Both set up what they
# need on a fresh machine (scripts/setup.sh) and skip what is already there.

SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)

.PHONY: all setup build test lint demo bench www soak serve fuzz clean

all: build

setup:
	@bash scripts/setup.sh

build: setup
	@bash scripts/build.sh

test: build
	@bash scripts/test-all.sh

# The harness type-checked against the glue's declarations (tsc: files marked // @ts-check, every
# harness file but those listed in UNCHECKED_JS), the types a TypeScript consumer sees (tsc
# --strict), then rustfmt and clippy (natively, and for wasm32, where src/wasm/ is compiled).
# The same for the credcore-ld crate (rustfmt covers the workspace). Runs every check and fails if
# any failed.
UNCHECKED_JS :=
lint: build
	@status=0; \
	unmarked=$$(for f in pkg-template/*.js pkg-template/*/*.js; do \
	  case " $(UNCHECKED_JS) " in *" $$f "*) ;; *) grep -q '^// @ts-check$$' "$$f" || echo "$$f";; esac; done); \
	if [ -n "$$unmarked" ]; then echo "lint: no // @ts-check line in:" $$unmarked; status=1; fi; \
	echo "lint: tsc, JS harness"; node_modules/.bin/tsc -p pkg-template/tsconfig.json || status=1; \
	echo "lint: tsc --strict, type consumers"; node_modules/.bin/tsc -p tests/js/types/tsconfig.lint.json || status=1; \
	echo "lint: cargo fmt --check"; cargo fmt --check || status=1; \
	echo "lint: cargo clippy"; cargo clippy --all-targets -- -D warnings || status=1; \
	echo "lint: cargo clippy, wasm32 (both modules' boundary)"; cargo clippy --target wasm32-unknown-unknown --lib --features issuing -- -D warnings || status=1; \
	echo "lint: cargo clippy, wasm32 (the issuing module)"; cargo clippy --target wasm32-unknown-unknown -p credcore-issuing-wasm -- -D warnings || status=1; \
	echo "lint: cargo clippy, credcore-ld"; cargo clippy -p credcore-ld --all-targets -- -D warnings || status=1; \
	echo "lint: cargo clippy, credcore-ld for wasm32"; cargo clippy -p credcore-ld --target wasm32-unknown-unknown --lib -- -D warnings || status=1; \
	echo "lint: cargo clippy, credcore-ld-wasm"; cargo clippy -p credcore-ld-wasm --all-targets -- -D warnings || status=1; \
	echo "lint: cargo clippy, credcore-ld-wasm for wasm32"; cargo clippy -p credcore-ld-wasm --target wasm32-unknown-unknown --lib -- -D warnings || status=1; \
	echo "lint: cargo clippy, credcore-keys-wasm"; cargo clippy -p credcore-keys-wasm --all-targets -- -D warnings || status=1; \
	echo "lint: cargo clippy, credcore-keys-wasm for wasm32"; cargo clippy -p credcore-keys-wasm --target wasm32-unknown-unknown --lib -- -D warnings || status=1; \
	exit $$status

demo: build
	@node pkg/bin/credcore.js demo

bench: build
	@node bench/run.mjs

www: build
	@node www/serve.mjs

soak: build
	@node scripts/soak.mjs

# The example service in PROCESSES processes (default: the cores) with a local redis-server.
serve: build
	@node scripts/serve.mjs

fuzz:
	@bash scripts/fuzz.sh

clean:
	rm -rf pkg target tests/js/.tmp tests/js/node_modules tests/bundlers/.tmp tests/bundlers/*/node_modules tests/bundlers/*/dist
