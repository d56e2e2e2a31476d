# CDKTF app (infra/, dashboards/): synth, the k6 archive for k6-operator, tests.
# Its vitest files (infra/__tests__/) run with the other vitest files in `make test`,
# so test-infra is not added to TEST_TARGETS; the type check joins `make typecheck`.
INFRA_ENV ?= infra/example.env
K6_ARCHIVE ?= dist/opensaves-k6.tar

.PHONY: synth archive test-infra typecheck-infra

synth: setup ## cdktf synth of every stack into cdktf.out/ (offline; INFRA_ENV=file with OS_INFRA_* values)
	@test -f "$(INFRA_ENV)" || { echo "INFRA_ENV=$(INFRA_ENV): no such file (copy infra/example.env)"; exit 2; }
	set -a && . "$(INFRA_ENV)" && set +a && CHECKPOINT_DISABLE=1 npx cdktf synth

archive: k6 bundle ## k6 archive of dist/mixed.js with its protos, for the k6-operator ConfigMap
	@infra/archive.sh "$(K6)" dist/mixed.js "$(K6_ARCHIVE)"

typecheck-infra: setup
	npx tsc -p infra/tsconfig.json

typecheck: typecheck-infra

test-infra: setup typecheck-infra ## synth tests of the CDKTF app (also part of `npx vitest run`)
	npx vitest run infra/__tests__
