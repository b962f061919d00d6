# ReplyGuard build. Two commands for a newcomer: `make run` and `make test`.
# Everything a target needs (Go modules, npm packages, Chromium) it installs.

GO        ?= go
BIN       := bin/replyguard
WASM      := wasm/artifact/policy.wasm
GOFILES    = $(shell find policy wasm companion templates -name '*.go' -not -name '*_test.go' 2>/dev/null) go.mod
POLICYSRC  = $(shell find policy wasm -name '*.go' -not -name '*_test.go') go.mod

.PHONY: build run test bench fuzz clean deps wasm

build: $(WASM) $(BIN)

deps:
	$(GO) mod download

wasm: $(WASM)

# policy.wasm: the one policy artifact, a wasip1 reactor.
$(WASM): $(POLICYSRC)
	GOOS=wasip1 GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -buildmode=c-shared -o $@ ./wasm

$(BIN): $(WASM) $(GOFILES) $(shell find templates -type f 2>/dev/null)
	@mkdir -p bin
	$(GO) build -trimpath -o $@ ./companion/cmd/replyguard

run: build
	$(BIN) serve

test: build
	$(GO) vet ./...
	$(GO) test -count=1 ./...

bench: build
	$(GO) test -run '^$$' -bench . -benchtime 2000x ./policy/...

fuzz: build
	$(GO) test -run '^$$' -fuzz FuzzLint -fuzztime 30s ./policy

clean:
	rm -rf bin $(WASM) extension/dist
