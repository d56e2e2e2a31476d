# Local Open Saves target (target/). Its tests are vitest files in test/unit/target/
# and test/unit/proto/, which `make test` already runs with every other vitest file.

.PHONY: test-target bench-target

test-target: setup ## run only the local target's and the proto's tests
	npx vitest run test/unit/target test/unit/proto

bench-target: setup ## unary Ping and GetRecord throughput of the local target (about 30 s, 127.0.0.1 only)
	npx tsx bench/target-throughput.ts
