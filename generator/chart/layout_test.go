package chart

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestWrapLabel checks the area labels of the SVG drawings: at most the
// lines asked for, none longer than the width, words kept whole where they
// fit, and "…" where text was left out.
func TestWrapLabel(t *testing.T) {
	for _, tc := range []struct {
		in    string
		width int
		lines int
		want  []string
	}{
		{"Vision", 14, 2, []string{"Vision"}},
		{"Family & friends", 14, 2, []string{"Family &", "friends"}},
		{"Career, vocation and the work that pays the bills", 14, 2, []string{"Career,", "vocation and…"}},
		{"Supercalifragilisticexpialidocious", 14, 2, []string{"Supercalifragi", "listicexpiali…"}},
		{"", 14, 2, nil},
	} {
		got := wrapLabel(tc.in, tc.width, tc.lines)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("wrapLabel(%q) = %q, want %q", tc.in, got, tc.want)
		}
		for _, l := range got {
			if utf8.RuneCountInString(l) > tc.width {
				t.Errorf("wrapLabel(%q): line %q longer than %d", tc.in, l, tc.width)
			}
		}
	}
	if got := shortLabel(strings.Repeat("word ", 20)); utf8.RuneCountInString(got) > labelRunes || !strings.HasSuffix(got, "…") {
		t.Errorf("shortLabel of a long label = %q", got)
	}
}
