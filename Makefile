# The commands a user and CI run. `make test` is what CI runs (see .ci/run).
SWIFT ?= swift
BIN := .build/debug/seldon-operator
RELEASE_BIN := .build/release/seldon-operator

.PHONY: build release test bench demo clean

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release

# Unit tests beside each module plus the end-to-end tests that drive the built CLI.
test: build
	$(SWIFT) test --parallel

# Benchmarks print ratios against a reference measured in the same run.
bench: release
	$(RELEASE_BIN) bench

demo: build
	./scripts/demo.sh $(BIN)

clean:
	rm -rf .build
