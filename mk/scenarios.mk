# k6 scenarios (scripts/ -> dist/). `make scenario SCENARIO=crud K6_ENV="-e PROFILE=load -e RATE=100"`
# runs one bundle against OPEN_SAVES_ADDR (default 127.0.0.1:6000); `make test-scenarios`
# runs only the scenario tests (make test already runs them through vitest).
SCENARIO ?= smoke
K6_ENV ?=

.PHONY: scenario test-scenarios

scenario: bundle ## run one scenario bundle: make scenario SCENARIO=mixed K6_ENV="-e RATE=100"
	"$(K6)" run $(K6_ENV) dist/$(SCENARIO).js

test-scenarios: setup k6 ## the k6 scenario tests only (real bin/k6 against the local emulator)
	npx vitest run test/unit/scenarios
