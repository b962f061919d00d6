package policy

import (
	"strings"
	"testing"
)

// The sets must answer as the plain maps they replaced would.
func TestStrSetAgreesWithAMap(t *testing.T) {
	words := "com co c a io longerthaneight longerthaneigh longerthaneightt gls-group 163 t-online x"
	set, m := setOf(words), map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	probes := append(strings.Fields(words), "", "cm", "coo", "longerthaneighx", "longerthan", "gls", "group", "Com", "com ", "16", "1633")
	for _, p := range probes {
		if got := set.has(p); got != m[p] {
			t.Errorf("has(%q) = %v, want %v", p, got, m[p])
		}
	}
}

func FuzzStrSet(f *testing.F) {
	words := "com net org info biz io co uk de royalmail canadapost hermesworld t-online 163 a"
	set, m := setOf(words), map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	f.Add("com")
	f.Add("royalmaik")
	f.Fuzz(func(t *testing.T, w string) {
		if got := set.has(w); got != m[w] {
			t.Errorf("has(%q) = %v, want %v", w, got, m[w])
		}
	})
}
