# Analysis CLI (analysis/): `npm run analyze -- k6.json`. Its vitest files (test/unit/analysis/) run with
# every other vitest file; report.html is checked there in Debian's Chromium, which ensure-chromium installs
# first (TEST_PREREQS, run before the global vitest run). test-analysis checks the npm wiring end to end.
CHROMIUM ?= /usr/bin/chromium
BENCH_LINES ?= 1000000

.PHONY: ensure-chromium test-analysis bench-analysis

ensure-chromium: ## install Debian's chromium for the report.html test when it is missing (needs root)
	@if [ -x "$(CHROMIUM)" ]; then :; \
	elif command -v apt-get >/dev/null; then export DEBIAN_FRONTEND=noninteractive; apt-get update && apt-get install -y --no-install-recommends chromium; \
	else echo "$(CHROMIUM) is missing and apt-get is not available: install Chromium for the report.html test"; exit 1; fi

test-analysis: setup ensure-chromium ## npm run analyze end to end: a report, exit 1 on a missed SLO, exit 2 on bad input
	@out="$$(mktemp -d)"; trap 'rm -rf "$$out"' EXIT; \
	status=0; npm run --silent analyze -- test/fixtures/analysis/smoke.json --out-dir "$$out" --format json,md,junit >/dev/null 2>&1 || status=$$?; \
	[ $$status -eq 1 ] || { echo "analyze smoke.json: expected exit 1 (GetRecord misses its error-rate SLO), got $$status"; exit 1; }; \
	for f in summary.json report.md junit.xml; do test -s "$$out/$$f" || { echo "analyze smoke.json: $$f was not written"; exit 1; }; done; \
	status=0; npm run --silent analyze -- "$$out/missing.json" >/dev/null 2>&1 || status=$$?; \
	[ $$status -eq 2 ] || { echo "analyze on a missing file: expected exit 2, got $$status"; exit 1; }; \
	echo "test-analysis: ok"

# As a user runs it: `npm run analyze -- FILE --format json`, process start to exit, on a short capacity run recorded
# against the local emulator and replicated to ANALYSIS_LINES lines, in rounds with its anchor, a plain readline +
# JSON.parse script over the same file (ANALYSIS_E2E_ARGS: e.g. --from k6.json --repeat 5 --before DIR).
ANALYSIS_LINES ?= 5000000
ANALYSIS_E2E_ARGS ?=
bench-analysis: setup k6 bundle ## the analysis end to end (MB/s, lines/s, peak RSS, ratio to readline + JSON.parse) on a real run's lines; then the scan alone (BENCH_LINES)
	npx tsx bench/analysis/analysis-e2e.ts --lines $(ANALYSIS_LINES) $(ANALYSIS_E2E_ARGS)
	npx tsx bench/analysis/analysis-throughput.ts $(BENCH_LINES)

TEST_TARGETS += test-analysis
TEST_PREREQS += ensure-chromium
