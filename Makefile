# ReplyGuard build. Two commands for a newcomer: `make run` and `make test`.
# Everything a target needs (Go modules, npm packages, Chromium) it installs.

GO        ?= go
BIN       := bin/replyguard
WASM      := wasm/artifact/policy.wasm
# Go sources with their assembly (.s, .h): a change to either rebuilds.
SRCNAMES   = \( -name '*.go' -o -name '*.s' -o -name '*.h' \) -not -name '*_test.go'
GOFILES    = $(shell find policy wasm companion templates $(SRCNAMES) 2>/dev/null) go.mod
POLICYSRC  = $(shell find policy wasm $(SRCNAMES)) go.mod
# npm packages (esbuild, typescript, playwright-core), installed on first use.
# Defined before any rule names it: make expands prerequisites as it reads.
EXTNODE   := extension/node_modules/.package-lock.json

.PHONY: build run test bench fuzz wasmcount clean deps wasm extension extension-test extension-bench chromium web web-test screenshots policy-wasm-test

build: $(WASM) $(BIN) extension

deps:
	$(GO) mod download

wasm: $(WASM)

# policy.wasm: the one policy artifact, a wasip1 reactor. Go's wasm output
# then goes through Binaryen's wasm-opt (npm, with the extension's tools):
# about 6% fewer instructions a lint under wazero and 8 KB less gzipped,
# which the budgets in DESIGN.md need. The features are those Go emits.
WASMOPT := extension/node_modules/binaryen/bin/wasm-opt
$(WASM): $(POLICYSRC) $(EXTNODE)
	@mkdir -p bin
	GOOS=wasip1 GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -buildmode=c-shared -o bin/policy.raw.wasm ./wasm
	node $(WASMOPT) -O2 --enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int --enable-mutable-globals bin/policy.raw.wasm -o $@

# The local web page's script (companion/internal/web/ui), bundled with the
# extension's esbuild and embedded into the companion.
WEBJS  := companion/internal/web/assets/dist/app.js
WEBSRC  = $(shell find companion/internal/web/ui -name '*.ts') $(shell find extension/src/content extension/src/shared extension/src/policy -type f)
web: $(WEBJS)
$(WEBJS): $(EXTNODE) $(WEBSRC) companion/internal/web/ui/build.mjs
	node companion/internal/web/ui/build.mjs

$(BIN): $(WASM) $(WEBJS) $(GOFILES) $(shell find templates companion/internal/web/tmpl companion/internal/web/assets -type f 2>/dev/null)
	@mkdir -p bin
	$(GO) build -trimpath -o $@ ./companion/cmd/replyguard

# The browser extension: extension/dist is the folder to load unpacked. It
# bundles policy.wasm and the built-in templates (from `replyguard templates list`).
$(EXTNODE): extension/package.json extension/package-lock.json
	cd extension && npm ci --no-audit --no-fund
	@touch $@

extension: $(WASM) $(BIN) $(EXTNODE)
	cd extension && node scripts/build.mjs --tests

CHROMIUM ?= /usr/bin/chromium
chromium:
	@test -x $(CHROMIUM) || (apt-get update && apt-get install -y chromium)

# Typecheck, unit tests, then end-to-end tests in real Chromium with the real companion.
extension-test: extension chromium
	cd extension && node_modules/.bin/tsc --noEmit -p .
	cd extension && node --test node_modules/.cache/rg-test/*.test.mjs
	cd extension && node --test --test-concurrency=1 test/e2e/*.test.mjs

# The local web page in real Chromium against a real companion (screenshots
# go to a temporary folder; `make screenshots` refreshes docs/screenshots/).
web-test: build chromium
	extension/node_modules/.bin/tsc --noEmit -p companion/internal/web/ui
	node --test --test-concurrency=1 companion/internal/web/e2e/*.test.mjs

screenshots: build chromium
	SCREENSHOTS=$(CURDIR)/docs/screenshots node --test --test-concurrency=1 companion/internal/web/e2e/*.test.mjs
	cd extension && node scripts/screenshot.mjs

# Keystroke-to-underline latency in Chromium on the strict-CSP fixture page.
extension-bench: extension chromium
	cd extension && node test/bench/latency.mjs

run: build
	@echo "Extension: load $(CURDIR)/extension/dist as an unpacked extension (chrome://extensions, Developer mode, Load unpacked)."
	$(BIN) serve

test: build
	$(GO) vet ./...
	$(GO) test -count=1 ./...
	# The Go twins of policy's amd64 assembly, which other machines run.
	$(GO) test -count=1 -tags purego ./policy
	$(MAKE) policy-wasm-test
	$(MAKE) extension-test
	$(MAKE) web-test

bench: build
	$(GO) test -run '^$$' -bench . -benchtime 2000x ./policy/...
	@mkdir -p bin
	$(GO) build -o bin/benchbest ./tools/benchbest
	$(GO) test -run '^$$' -bench 'Lint/.*/2000$$' -benchtime 1000x -count 10 ./companion/internal/policyhost | \
		bin/benchbest 'Lint/native/2000=20us' 'Lint/wazero/2000=200us'
	$(GO) test -run '^$$' -bench 'Lint/.*/(200|20000)$$|Classify|Artifact' -benchtime 2000x ./companion/internal/policyhost
	$(GO) test -run '^$$' -bench Compile -benchtime 3x ./companion/internal/policyhost
	node companion/internal/policyhost/testdata/v8bench.mjs extension/src/policy/loader.js $(WASM)
	node companion/internal/policyhost/testdata/chromiumbench.mjs extension/src/policy/loader.js $(WASM)
	$(GO) test -run '^$$' -bench RoundTrip -benchtime 2000x ./companion/internal/server
	$(GO) test -run '^$$' -bench Serve -benchtime 3x -timeout 30m ./companion/internal/server/e2e
	$(GO) test -run '^$$' -bench . -benchtime 200x ./companion/internal/web
	$(GO) test -run '^$$' -bench . -benchtime 300x -timeout 30m ./companion/internal/store
	$(MAKE) extension-bench

# The policy tests again, compiled for wasip1 and run by the wazero CLI (built
# from go.mod's wazero): they hold the hand-written walk in
# policy/walk_wasm.s to the same references as the Go one.
policy-wasm-test:
	@mkdir -p bin
	$(GO) build -o bin/wazero github.com/tetratelabs/wazero/cmd/wazero
	PATH="$(CURDIR)/bin:$$PATH" GOWASIRUNTIME=wazero GOOS=wasip1 GOARCH=wasm \
		$(GO) test -count=1 -exec "$$($(GO) env GOROOT)/lib/wasm/go_wasip1_wasm_exec" ./policy ./wasm/abi

# Instructions per lint of policy.wasm under wazero (needs valgrind; a
# minute or two): steadier than timings on a shared machine.
wasmcount: wasm
	$(GO) build -o bin/wasmcount ./tools/wasmcount
	bin/wasmcount

fuzz: build
	$(GO) test -run '^$$' -fuzz FuzzLint -fuzztime 30s ./policy
	$(GO) test -run '^$$' -fuzz FuzzClassify -fuzztime 15s ./policy
	$(GO) test -run '^$$' -fuzz FuzzReset -fuzztime 10s ./policy
	$(GO) test -run '^$$' -fuzz '^FuzzTokenize$$' -fuzztime 10s ./policy
	$(GO) test -run '^$$' -fuzz FuzzTokenizeBlockMatchesGo -fuzztime 10s ./policy
	$(GO) test -run '^$$' -fuzz FuzzScan -fuzztime 15s ./policy
	$(GO) test -run '^$$' -fuzz FuzzOffsets -fuzztime 10s ./policy
	$(GO) test -run '^$$' -fuzz FuzzLint -fuzztime 30s ./companion/internal/policyhost
	$(GO) test -run '^$$' -fuzz FuzzClassify -fuzztime 30s ./companion/internal/policyhost
	$(GO) test -run '^$$' -fuzz FuzzDecodeContext -fuzztime 15s ./wasm/abi
	$(GO) test -run '^$$' -fuzz FuzzJSONL -fuzztime 15s ./companion/internal/cli
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime 30s ./templates

clean:
	rm -rf bin $(WASM) extension/dist $(WEBJS)
