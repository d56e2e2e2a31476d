# Local Open Saves emulator (emulator/). Its tests are vitest files in test/unit/emulator/
# and test/unit/proto/, which `make test` already runs with every other vitest file.

.PHONY: test-emulator bench-emulator

test-emulator: setup ## run only the local emulator's and the proto's tests
	npx vitest run test/unit/emulator test/unit/proto

bench-emulator: setup ## unary Ping and GetRecord throughput of the local emulator (about 30 s, 127.0.0.1 only)
	npx tsx bench/emulator/emulator-throughput.ts
