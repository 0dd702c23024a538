# After-Sales Desk — one entry point for newcomers and CI (Debian 12).
#   make run     install what is missing, build, start the app
#   make test    everything CI checks: format, lints, core tests, UI tests, e2e
#   make bench   core benchmarks and the startup/memory bench (release)

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
# Steps depend on each other in order (deps before build, ui before clippy) and cargo
# takes a lock on target/ anyway: never run recipes side by side.
.NOTPARALLEL:

# tauri-driver is installed by `cargo install` into ~/.cargo/bin.
export PATH := $(HOME)/.cargo/bin:$(PATH)

# The system packages the build, the e2e tests and the PDF checks need (see setup.md).
APT_PACKAGES := libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev \
	libssl-dev libayatana-appindicator3-dev librsvg2-dev \
	xvfb xauth webkit2gtk-driver poppler-utils qpdf zbar-tools imagemagick xdotool
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
APT_GET := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900

APP := target/debug/after-sales-desk
# `make run DATA_DIR=/some/dir`; empty means the OS app-data folder (or $$DESK_DATA_DIR).
DATA_DIR ?=
# A 24-bit screen: xvfb-run's default 8-bit depth makes WebKit render badly.
XVFB_RUN := xvfb-run -a -s "-screen 0 1920x1080x24"
# Quiet GTK under Xvfb (no dconf) and ~70 MB less per WebKit process.
HEADLESS_ENV := GSETTINGS_BACKEND=memory WEBKIT_DISABLE_COMPOSITING_MODE=1
# Extra arguments for the startup bench, e.g. `make bench BENCH_ARGS="--runs 10"`.
BENCH_ARGS ?=

.PHONY: help deps deps-apt deps-bench apt-install deps-rust deps-npm deps-driver ui build run test check-bindings \
	e2e e2e-run bench clean

help:
	@echo "make run     build and start the app (DATA_DIR=... to choose the data folder)"
	@echo "make test    fmt, clippy, core tests, bindings check, UI lint+tests, e2e"
	@echo "make bench   core benchmarks and startup/memory bench (release)"
	@echo "make demo    the app on a separate data folder filled with demo data (admin / admin1234)"
	@echo "make e2e     end-to-end tests only (real app under Xvfb)"
	@echo "make deps    install missing system packages, npm packages, tauri-driver"
	@echo "make build   UI bundle + debug app;  make clean  remove build output"

deps: deps-apt deps-rust deps-npm deps-driver

# Installs only what `dpkg -s` does not report as installed; `apt-get update` runs only
# then. A second attempt (after a fresh update) covers a .deb that vanished from the
# mirror between update and install.
deps-apt:
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(APT_PACKAGES)"

# Only `make bench` needs a browser: the paperwork bench compares Chromium's print-to-pdf.
deps-bench:
	@$(MAKE) --no-print-directory apt-install PACKAGES="chromium"

apt-install:
	@missing=""; \
	for p in $(PACKAGES); do \
	  dpkg -s "$$p" 2>/dev/null | grep -q '^Status: install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "deps: installing$$missing"; \
	  $(APT_GET) update; \
	  $(APT_GET) install -y --no-install-recommends $$missing || { \
	    echo "deps: apt-get install failed; updating and retrying once"; sleep 5; \
	    $(APT_GET) update; \
	    $(APT_GET) install -y --no-install-recommends $$missing; }; \
	fi

deps-rust:
	@command -v cargo >/dev/null || { echo "deps: cargo not found: install Rust (rustup) >= 1.88" >&2; exit 1; }
	@cargo fmt --version >/dev/null 2>&1 || rustup component add rustfmt
	@cargo clippy --version >/dev/null 2>&1 || rustup component add clippy

# `npm ci` only when node_modules is missing or older than the lock file. The stamp
# lives inside node_modules, so `npm ci` (which empties it) also resets it.
deps-npm:
	@command -v npm >/dev/null || { echo "deps: npm not found: install Node.js 20 LTS" >&2; exit 1; }
	@if [ ! -f ui/node_modules/.desk-installed ] || [ ui/package-lock.json -nt ui/node_modules/.desk-installed ]; then \
	  echo "deps: npm ci in ui/"; \
	  (cd ui && npm ci --no-audit --no-fund) && touch ui/node_modules/.desk-installed; \
	fi

deps-driver:
	@command -v tauri-driver >/dev/null || cargo install tauri-driver --locked

ui: deps-npm
	cd ui && npm run build

build: ui
	cargo build -p after-sales-desk

run: deps build
	./$(APP) $(if $(DATA_DIR),--data-dir "$(DATA_DIR)")

# The UI bundle comes before clippy: Tauri's generate_context! embeds ui/dist and fails
# to compile without it.
test: deps
	cargo fmt --all --check
	$(MAKE) --no-print-directory ui
	cargo clippy --workspace --all-targets -- -D warnings
	cargo test -p desk-core
	$(MAKE) --no-print-directory check-bindings
	cd ui && npm run lint
	cd ui && npm test
	$(MAKE) --no-print-directory e2e-run

# `cargo test -p desk-core` has just regenerated the TypeScript types from Rust: any
# difference from what is committed means someone changed a Rust type and did not
# commit the new bindings.
check-bindings:
	@if [ -n "$$(git status --porcelain -- ui/src/lib/bindings)" ] || ! git diff --quiet --exit-code -- ui/src/lib/bindings; then \
	  echo "ui/src/lib/bindings is stale: run 'cargo test -p desk-core' and commit the result:" >&2; \
	  git status --short -- ui/src/lib/bindings >&2; \
	  exit 1; \
	fi

e2e: deps e2e-run

# The test binary is compiled before Xvfb starts; only running it needs a display.
e2e-run: build
	cargo test -p e2e --no-run
	$(HEADLESS_ENV) $(XVFB_RUN) cargo test -p e2e -- --test-threads=1

bench: deps deps-bench ui
	cargo build --release -p after-sales-desk -p bare-window
	cargo build --release -p e2e --bin startup_bench
	cargo bench -p desk-core
	GSETTINGS_BACKEND=memory $(XVFB_RUN) target/release/startup_bench --out .bench/startup.md $(BENCH_ARGS)

clean:
	cargo clean
	rm -rf ui/dist tests/artifacts .bench

# One command to a full demo: a separate data folder with a demo site (admin / admin1234),
# 300 customers and their units, then the app on it. `make demo` again reuses it.
DEMO_DIR ?= $(CURDIR)/.demo-data
.PHONY: demo
demo: deps build
	@[ -f "$(DEMO_DIR)/desk.sqlite" ] || ./$(APP) demo --data-dir "$(DEMO_DIR)"
	./$(APP) --data-dir "$(DEMO_DIR)"
