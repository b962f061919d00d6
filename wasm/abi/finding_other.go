//go:build !wasm

package abi

import "github.com/replyguard/replyguard/policy"

// appendFinding is AppendFinding; policy.wasm has a faster path for it
// (finding_wasm.go).
func appendFinding(dst []byte, f *policy.Finding) []byte { return AppendFinding(dst, f) }
