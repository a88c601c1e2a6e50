# The commands a user and CI run. `make test` is what CI runs (see .ci/run).
SWIFT ?= swift
BIN := .build/debug/seldon-operator
BENCH := .build/release/seldon-bench
GO_REFERENCE := .build/gotemplate-timing
SHARED ?= ../shared

.PHONY: build release test bench demo bundle clean

build:
	$(SWIFT) build

# The binary to ship (the operator image runs it): optimized, with Swift's runtime and
# FoundationEssentials linked in, so only the code it uses is mapped (docs/controller.md, "Memory").
RELEASE_FLAGS := -c release --static-swift-stdlib
release:
	$(SWIFT) build $(RELEASE_FLAGS) --product seldon-operator

# Unit tests beside each module plus the end-to-end tests that drive the built CLI.
test: build
	$(SWIFT) test --parallel

# Benchmarks print ratios against a reference measured in the same run. The template
# benchmark builds its Go reference from Debian's packages on first use.
bench: $(GO_REFERENCE) release
	$(SWIFT) build $(RELEASE_FLAGS) --product seldon-bench
	$(BENCH) templates --shared $(SHARED) --go-reference $(GO_REFERENCE)
	$(BENCH) corpus --shared $(SHARED)
	$(BENCH) client --objects 500
	.build/release/seldon-operator sandbox bench --objects 10000
	$(BENCH) install --seldon-operator .build/release/seldon-operator
	$(BENCH) controller --seldon-operator .build/release/seldon-operator --charts charts

$(GO_REFERENCE): Benchmarks/GoReference/main.go
	Benchmarks/GoReference/build.sh $(abspath $@)

# Packs charts/ into bundles/VERSION/: deterministic .tgz archives and bundle.yaml with their sha256.
bundle: build
	$(BIN) bundle --charts charts --output bundles

demo: build
	./scripts/demo.sh $(BIN)

clean:
	rm -rf .build
