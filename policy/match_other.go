//go:build !wasm

package policy

// follow is followGo natively; see match_wasm.go for policy.wasm's.
func (m *matcher) follow(norm []byte, lex []lexeme, hits []hit) []hit {
	return m.followGo(norm, lex, hits)
}
