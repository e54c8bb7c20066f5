package render

import (
	"bytes"
	"testing"

	"github.com/coachsite/coachsite/generator/report"
	"github.com/coachsite/coachsite/themes"
)

// TestFoldedWordsSameBytes renders every page kind in every language of the
// default theme with the fixed words folded into the templates and with
// each looked up by T as the page is made: the bytes must be the same.
func TestFoldedWordsSameBytes(t *testing.T) {
	folded := mustTheme(t)
	called, err := LoadTheme(themes.Default, nil)
	if err != nil {
		t.Fatal(err)
	}
	called.fold = false
	o := Options{CheckIn: &CheckInKey{Public: "pk", SiteID: "site"}}
	for _, lang := range folded.Catalog().Languages() {
		s := testSite(4)
		s.Language = lang
		want, got := renderAll(t, called, s, o), renderAll(t, folded, s, o)
		rs := report.Derive(s)
		for name, th := range map[string]*Theme{"want": called, "got": folded} {
			p, err := th.Dashboard(rs, "coach", o)
			if err != nil {
				t.Fatal(err)
			}
			h, err := th.Handover(HandoverData{Lang: lang, Site: s, Client: s.Clients[0], Address: "https://x.example/p/", Full: true, Passphrase: "a + b"})
			if err != nil {
				t.Fatal(err)
			}
			m := map[string]map[string]Page{"want": want, "got": got}[name]
			m[p.Path] = p
			m["handover"] = Page{File: File{Data: h}}
		}
		kinds := map[string]bool{}
		for path, w := range want {
			g, ok := got[path]
			if !ok || !bytes.Equal(g.Data, w.Data) || !bytes.Equal(g.Main, w.Main) || !bytes.Equal(g.CoachMain, w.CoachMain) {
				t.Errorf("%s: %s differs when its words are folded in", lang, path)
			}
			kinds[w.Kind] = true
		}
		if !kinds[KindCheckIn] || !kinds[KindSession] || !kinds[KindDashboard] {
			t.Fatalf("%s: not every page kind was rendered: %v", lang, kinds)
		}
	}
}
