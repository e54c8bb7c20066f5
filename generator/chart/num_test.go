package chart

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
)

// TestAppendNumMatchesStrconv checks appendNum's own rounding against
// strconv's on drawing-sized values, ties and near-ties, and odd values.
func TestAppendNumMatchesStrconv(t *testing.T) {
	vals := []float64{0, math.Copysign(0, -1), 0.001, -0.001, 0.004, -0.004, 0.005, -0.005, 0.015, 0.125, 0.375, 1.005,
		2.675, 10, 12.5, 240, -1.5, 99.995, 156.665, 1e9, -1e9, 1e12, 1e300, math.Inf(1), math.Inf(-1), math.NaN(),
		math.SmallestNonzeroFloat64, math.Nextafter(0.125, 1), math.Nextafter(0.125, 0)}
	r := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		vals = append(vals, (r.Float64()-0.5)*1000, float64(r.IntN(100000))/1000-50, float64(r.IntN(2000000))/200)
	}
	for _, f := range vals {
		got, want := string(appendNum(nil, f)), string(appendNumStrconv(nil, f))
		if got != want {
			t.Errorf("appendNum(%v) = %q, want %q", f, got, want)
		}
		if got := string(appendNum([]byte("x"), f)); got != "x"+want {
			t.Errorf("appendNum(x, %v) = %q, want %q", f, got, "x"+want)
		}
	}
}

// TestJSONStringMatchesMarshal checks jsonString against encoding/json.
func TestJSONStringMatchesMarshal(t *testing.T) {
	for _, s := range []string{"", "Vision", "14 January 2026", "a\"b", `a\b`, "<b>", "&", "é", "\u2028", "\x7f", "\xff", "tab\t", scriptText, funcText} {
		b, _ := json.Marshal(s)
		if got := jsonString(s); got != string(b) {
			t.Errorf("jsonString(%q) = %s, want %s", s, got, b)
		}
	}
}
