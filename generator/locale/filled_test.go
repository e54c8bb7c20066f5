package locale

import (
	"io/fs"
	"math"
	"testing"

	"github.com/coachsite/coachsite/themes"
)

// filledLang is the default theme's English with three messages of the
// test's own.
func filledLang(t testing.TB) *Lang {
	t.Helper()
	c := NewCatalog()
	en, err := fs.ReadFile(themes.Default, "i18n/en.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Add("i18n/en.yaml", en); err != nil {
		t.Fatal(err)
	}
	if err := c.Add("i18n/en.yaml", []byte(`
sessions: {one: "{{.Count}} session", other: "{{.Count}} sessions"}
rated: "{{.Area}} rated {{.Value}}"
pair: "{{.A}}|{{.B}}"
`)); err != nil {
		t.Fatal(err)
	}
	l, err := c.Lang("en")
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestFilledMatchesFill fills messages through the cache, twice, and
// checks each against filling it anew, for values that are cached and
// values that are not, and for values that would have shared a key had
// the key not said where each string ends.
func TestFilledMatchesFill(t *testing.T) {
	l := filledLang(t)
	args := []struct {
		id  string
		arg any
	}{
		{"sessions", 1}, {"sessions", 2}, {"sessions", int64(2)}, {"sessions", 2.0}, {"sessions", Percent(2)},
		{"rated", map[string]any{"Area": "Vision", "Value": 7}},
		{"rated", map[string]any{"Area": "Vision", "Value": "7"}},
		{"rated", map[string]any{"Area": "A very long area name, not cached", "Value": 7}},
		{"pair", map[string]any{"A": "x\x00B\x00sy", "B": ""}},
		{"pair", map[string]any{"A": "x", "B": "y"}},
		{"pair", map[string]any{"A": "x\x00B\x00sy"}}, // no B: an error
		{"pair", map[string]any{"A": "1:x", "B": "y"}},
		{"pair", map[string]any{"A": "", "B": "1:xy"}},
	}
	for range 2 {
		for _, a := range args {
			got, err := l.T(a.id, a.arg)
			want, werr := l.fill(a.id, a.arg)
			if got != want || (err == nil) != (werr == nil) {
				t.Errorf("T(%q, %v) = %q, %v; filled anew %q, %v", a.id, a.arg, got, err, want, werr)
			}
		}
	}
}

// FuzzFilledKey checks that two different messages or values never share
// a key of the cache: when they do, the second would be given the first's
// words.
func FuzzFilledKey(f *testing.F) {
	f.Add("pair", "A", "x\x00B\x00sy", "B", "", 0, 1.5, "pair", "A", "x", "B", "y", 0, 1.5, uint8(0), uint8(0))
	f.Add("sessions", "", "", "", "", 2, 2.0, "sessions", "", "", "", "", 2, 2.0, uint8(1), uint8(2))
	f.Fuzz(func(t *testing.T, id1, k1, v1, k2, v2 string, n1 int, x1 float64, id2, k3, v3, k4, v4 string, n2 int, x2 float64, kind1, kind2 uint8) {
		a1 := fuzzArg(kind1, k1, v1, k2, v2, n1, x1)
		a2 := fuzzArg(kind2, k3, v3, k4, v4, n2, x2)
		key1, ok1 := filledKey(id1, a1)
		key2, ok2 := filledKey(id2, a2)
		if !ok1 || !ok2 || key1 != key2 {
			return
		}
		if id1 != id2 || !sameArg(a1, a2) {
			t.Errorf("%q %#v and %q %#v share the key %q", id1, a1, id2, a2, key1)
		}
	})
}

// fuzzArg makes a value for T of one of the kinds filledKey keeps.
func fuzzArg(kind uint8, k1, v1, k2, v2 string, n int, x float64) any {
	switch kind % 6 {
	case 0:
		return map[string]any{k1: v1, k2: v2}
	case 1:
		return map[string]any{k1: n, k2: x}
	case 2:
		return n
	case 3:
		return x
	case 4:
		return Percent(x)
	}
	return v1
}

// sameArg reports whether two values from fuzzArg are the same, NaN
// equal to NaN (it fills a message in as NaN does).
func sameArg(a, b any) bool {
	ma, okA := a.(map[string]any)
	mb, okB := b.(map[string]any)
	if okA != okB {
		return false
	}
	if !okA {
		return sameValue(a, b)
	}
	if len(ma) != len(mb) {
		return false
	}
	for k, va := range ma {
		vb, ok := mb[k]
		if !ok || !sameValue(va, vb) {
			return false
		}
	}
	return true
}

func sameValue(a, b any) bool {
	switch x := a.(type) {
	case float64:
		y, ok := b.(float64)
		return ok && (x == y && math.Signbit(x) == math.Signbit(y) || math.IsNaN(x) && math.IsNaN(y))
	case Percent:
		y, ok := b.(Percent)
		return ok && sameValue(float64(x), float64(y))
	}
	return a == b
}
