package pipeline_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/internal/browsertest"
)

// axeCheck runs axe-core on the open page at the width, light and dark,
// failing t for every serious or critical violation, and logs how many
// violations of each impact it found.
func axeCheck(t *testing.T, p *browsertest.Page, name string, width, height int) {
	t.Helper()
	for _, dark := range []bool{false, true} {
		p.Emulate(browsertest.Media{Width: width, Height: height, Dark: dark})
		where := fmt.Sprintf("%s at %d px light", name, width)
		if dark {
			where = strings.Replace(where, "light", "dark", 1)
		}
		vs := p.AssertAxe(t, where)
		count := map[string]int{}
		for _, v := range vs {
			count[v.Impact] += len(v.Nodes)
		}
		t.Logf("%s: axe: %d rules broken; elements: critical %d, serious %d, moderate %d, minor %d",
			where, len(vs), count["critical"], count["serious"], count["moderate"], count["minor"])
	}
}

// TestAxePages runs axe-core (WCAG 2.x A and AA, best practices) on every
// page kind of the example site at 390 px, light and dark — the home
// page, a portal, the first and the latest session, trends, the summary
// and the 404 page of a public build, and the unlock form and the coach's
// dashboard of an encrypted one — and fails on any serious or critical
// violation. The check-in page is checked by TestCheckInRoundTrip.
func TestAxePages(t *testing.T) {
	b := browsertest.New(t)
	public := buildSite(t, exampleContent)
	cp := listClients(t, public)[0]
	pages := []struct{ name, rel string }{
		{"home", "index.html"},
		{"portal", cp.Portal},
		{"session-first", cp.Sessions[0]},
		{"session", cp.Sessions[len(cp.Sessions)-1]},
		{"trends", cp.Trends},
		{"summary", strings.TrimSuffix(cp.Portal, "index.html") + "summary/index.html"},
		{"404", "404.html"},
	}
	for _, pg := range pages {
		t.Run(pg.name, func(t *testing.T) {
			p := b.Open(t, browsertest.FileURL(public, pg.rel))
			axeCheck(t, p, pg.name, 390, 844)
		})
	}

	content := privSite(t, privExample(), model.Encrypted)
	sec := writeSecrets(t, content)
	sealed := privBuild(t, content, sec.File)
	p := b.Open(t, browsertest.FileURL(sealed, "coach/index.html"))
	t.Run("unlock", func(t *testing.T) {
		if st := pageState(p); st != "locked" {
			t.Fatalf("state %s, want locked", st)
		}
		axeCheck(t, p, "unlock form", 390, 844)
	})
	t.Run("dashboard", func(t *testing.T) {
		if st := unlock(t, p, sec.Coach, false); !strings.HasPrefix(st.State, "unlocked") {
			t.Fatalf("dashboard: %+v", st)
		}
		axeCheck(t, p, "dashboard", 390, 844)
	})
}
