# credcore: `make demo` runs the main job, `make test` runs every suite. Both set up what they
# need on a fresh machine (scripts/setup.sh) and skip what is already there.

SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)

.PHONY: all setup build test demo bench www soak fuzz clean

all: build

setup:
	@bash scripts/setup.sh

build: setup
	@bash scripts/build.sh

test: build
	@bash scripts/test-all.sh

demo: build
	@node pkg/bin/credcore.js demo

bench: build
	@node bench/run.mjs

www: build
	@node www/serve.mjs

soak: build
	@node scripts/soak.mjs

fuzz:
	@bash scripts/fuzz.sh

clean:
	rm -rf pkg target tests/js/.tmp tests/js/node_modules
