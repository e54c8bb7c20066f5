package pipeline_test

import (
	"testing"

	"github.com/coachsite/coachsite/internal/browsertest"
)

// TestTableAlignment opens the example session whose Markdown table aligns
// its columns (`:---` left, `---:` right) and checks in Chromium that the
// cells are laid out as the Markdown asks: the theme's table rules must not
// override the align attributes the Markdown renderer writes.
func TestTableAlignment(t *testing.T) {
	public := buildSite(t, exampleContent)
	b := browsertest.New(t)
	p := b.Open(t, browsertest.FileURL(public, "clients/adaeze-lindqvist-moor/2026-03-30/index.html"))
	var got []struct{ Align, TextAlign, Text string }
	p.Eval(`Array.from(document.querySelectorAll('.notes table tbody tr:first-child td')).map(td =>
		({Align: td.getAttribute('align') || '', TextAlign: getComputedStyle(td).textAlign, Text: td.textContent.trim()}))`, &got)
	if len(got) != 5 {
		t.Fatalf("want the 5 cells of the table's first row, got %+v", got)
	}
	for i, c := range got {
		want := "right"
		if i == 0 {
			want = "left"
		}
		if c.Align != want || c.TextAlign != want {
			t.Errorf("cell %d (%q): align=%q, computed text-align %q; want %q", i, c.Text, c.Align, c.TextAlign, want)
		}
	}
	// A right-aligned number hugs the right edge of its cell.
	var gap struct{ Right, TextRight float64 }
	p.Eval(`(() => { const td = document.querySelectorAll('.notes table tbody tr:first-child td')[1];
		const r = document.createRange(); r.selectNodeContents(td);
		const cs = getComputedStyle(td);
		return {Right: td.getBoundingClientRect().right - parseFloat(cs.paddingRight), TextRight: r.getBoundingClientRect().right}; })()`, &gap)
	if d := gap.Right - gap.TextRight; d > 1 || d < -1 {
		t.Errorf("a right-aligned cell's text ends %.1f px from its right edge", d)
	}
}
