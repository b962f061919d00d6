// Package artifact embeds policy.wasm, the one compiled policy engine that the
// companion (through wazero) and the extension (through V8) both run.
//
// `make build` writes policy.wasm next to this file before the companion is
// compiled; the file is a build output and is not kept in git.
package artifact

import _ "embed"

// Wasm is the policy engine compiled with GOOS=wasip1 -buildmode=c-shared.
//
//go:embed policy.wasm
var Wasm []byte
