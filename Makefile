# Open Saves load-testing kit. `make demo` and `make test` are the two entry points;
# both install what they need on a fresh machine (Node 20+, Go 1.25+, git, make).
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Use your own k6 with `make demo K6=/path/to/k6`; the default is built from tools/k6-build.
K6 ?= bin/k6
export K6

# Part-specific targets (analysis, infra, extension, ...) live in mk/*.mk; they add
# their CI test targets to TEST_TARGETS and what the vitest run needs to TEST_PREREQS.
TEST_TARGETS :=
TEST_PREREQS :=
include $(wildcard mk/*.mk)

.PHONY: help setup k6 bundle emulator demo test test-unit typecheck clean

help: ## list the targets
	@grep -hE '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

node_modules/.package-lock.json: package.json package-lock.json
	@node -e 'const [major] = process.versions.node.split("."); if (Number(major) < 20) { console.error(`Node.js 20 or newer is required, found ${process.version}`); process.exit(1); }'
	npm ci --no-audit --no-fund
	@touch $@

setup: node_modules/.package-lock.json ## install the npm dependencies (npm ci) and build analysis/dist when a source changed
	@node analysis/build.mjs --if-stale

k6: ## build bin/k6 (k6 plus the kit's extensions), skipped when up to date
ifeq ($(K6),bin/k6)
	@command -v go >/dev/null || { echo "Go 1.25+ is required to build bin/k6 (or pass K6=/path/to/k6)"; exit 1; }
	@tools/k6-build/build.sh
else
	@test -x "$(K6)" || { echo "K6=$(K6): not an executable file"; exit 1; }
	@"$(K6)" version
endif

bundle: setup ## bundle scripts/scenarios/*.ts into dist/*.js
	npm run --silent bundle

emulator: setup ## run the local Open Saves emulator on 127.0.0.1:6000 (gRPC) and :8080 (HTTP)
	npm run --silent emulator -- --grpc-port 6000 --http-port 8080

demo: setup k6 bundle ## start the local emulator, run a real k6 load test against it, keep the results
	@tools/demo.sh

typecheck: setup ## strict TypeScript checks of every part
	npx tsc -p tsconfig.json
	npx tsc -p scripts/tsconfig.json

test-unit: setup k6 bundle $(TEST_PREREQS)
	npx vitest run

test: typecheck test-unit $(TEST_TARGETS) ## everything CI runs

clean: ## remove build output (keeps node_modules and bin/k6)
	rm -rf dist results report cdktf.out
