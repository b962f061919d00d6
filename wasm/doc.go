//go:build !wasip1

// Command wasm is policy.wasm, built only for GOOS=wasip1 (see main.go and
// README.md): `make wasm`. On other platforms it just says so.
package main

import "os"

func main() {
	os.Stderr.WriteString("policy.wasm: build with GOOS=wasip1 GOARCH=wasm -buildmode=c-shared (make wasm)\n")
	os.Exit(2)
}
