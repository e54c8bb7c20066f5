package locale

import (
	"math"
	"testing"
)

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
