# The distributed path on one machine: a local S3-compatible server (bin/versitygw, built from the Go module proxy by
# tools/s3-server/build.sh, skipped when up to date) that `make demo-distributed` writes RUNNERS k6 runners' samples
# into and the analysis reads back as s3://. The S3 tests (test/unit/analysis/s3-*.test.ts) start the same server,
# so it is built before the vitest run (TEST_PREREQS).
RUNNERS ?= 3

.PHONY: s3-server demo-distributed

s3-server: ## build bin/versitygw, the local S3-compatible server (Versity S3 Gateway), skipped when up to date
	@tools/s3-server/build.sh

demo-distributed: setup k6 bundle s3-server ## RUNNERS (3) k6 runners on execution segments of one run write to a local S3 server; one report read from s3://
	@RUNNERS=$(RUNNERS) tools/demo-distributed.sh

TEST_PREREQS += s3-server
