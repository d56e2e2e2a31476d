# xk6-output-cloudwatch: the k6 output extension linked into bin/k6.
# Its end-to-end tests (real bin/k6 against the local emulator) are vitest
# files in test/unit/extension/ and run with the other vitest files.
EXTENSION_DIR := xk6-output-cloudwatch

.PHONY: test-extension

test-extension: ## gofmt check, go vet and go test of the CloudWatch output extension
	@command -v go >/dev/null || { echo "Go 1.25+ is required to test $(EXTENSION_DIR)"; exit 1; }
	@unformatted="$$(cd $(EXTENSION_DIR) && gofmt -l .)"; \
	  if [ -n "$$unformatted" ]; then echo "gofmt: these files need formatting in $(EXTENSION_DIR): $$unformatted"; exit 1; fi
	cd $(EXTENSION_DIR) && go vet ./...
	cd $(EXTENSION_DIR) && go test -count=1 ./...

TEST_TARGETS += test-extension
