package browsertest

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"strings"
	"testing"
)

// axeSHA256 pins the vendored axe-core: a changed file must come with a
// new version and hash in axe/README.md and docs/testing.md.
const axeSHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"

func TestAxeSource(t *testing.T) {
	b, err := os.ReadFile("axe/axe.min.js")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	if got := hex.EncodeToString(sum[:]); got != axeSHA256 {
		t.Errorf("axe/axe.min.js SHA-256 = %s, want %s", got, axeSHA256)
	}
	if string(b) != axeSource {
		t.Error("the embedded axe-core is not axe/axe.min.js")
	}
	if !strings.HasPrefix(axeSource, "/*! axe v4.14.1") {
		t.Errorf("axe.min.js does not start with the 4.14.1 banner: %q", axeSource[:40])
	}
	for name, want := range map[string]string{"LICENSE": "Mozilla Public License", "LICENSE-3RD-PARTY.txt": "MIT License", "README.md": "4.14.1"} {
		l, err := os.ReadFile("axe/" + name)
		if err != nil || !strings.Contains(string(l), want) {
			t.Errorf("axe/%s: want it to mention %q (%v)", name, want, err)
		}
	}
}

// TestAxeFindsViolationsUnderStrictCSP runs axe on a page whose CSP allows
// no script at all (and only its own style sheet): it runs all the same, reports the broken rules with
// their elements and impact, and the page logs no CSP violation; a clean
// page has no serious violation.
func TestAxeFindsViolationsUnderStrictCSP(t *testing.T) {
	t.Parallel()
	const csp = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'self'"><link rel="stylesheet" href="a.css">`
	dir := site(t, map[string]string{
		"bad.html": `<!doctype html><html><head><meta charset="utf-8">` + csp + `<link rel="icon" href="data:,"><title>t</title></head><body>
<main><h1>Bad</h1><img id="noalt" src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><button id="noname"></button>
<p class="faint">faint text</p><input id="nolabel" type="text"></main></body></html>`,
		"good.html": `<!doctype html><html lang="en"><head><meta charset="utf-8">` + csp + `<link rel="icon" href="data:,"><title>Good</title></head><body>
<main><h1>Good</h1><p>Plain text.</p><label for="f">Name</label> <input id="f" type="text"><button type="button">Send</button></main></body></html>`,
		"a.css": `body { background: #fff; color: #111 } .faint { color: #bbb }`,
	})
	b := New(t)
	p := b.Open(t, FileURL(dir, "bad.html"))
	vs := p.Axe()
	impact := map[string]string{}
	for _, v := range vs {
		impact[v.ID] = v.Impact
		if len(v.Nodes) == 0 || len(v.Nodes[0].Target) == 0 {
			t.Errorf("%s: no element named", v.ID)
		}
	}
	for id, want := range map[string]string{"image-alt": "critical", "button-name": "critical", "label": "critical", "html-has-lang": "serious", "color-contrast": "serious"} {
		if impact[id] != want {
			t.Errorf("axe on a broken page: %s impact %q, want %q (all: %v)", id, impact[id], want, vs)
		}
	}
	var r recorder
	if got := p.AssertAxe(&r, "bad"); len(got) != len(vs) || len(r.errors) < 5 || !strings.Contains(strings.Join(r.errors, "\n"), "#noalt") {
		t.Errorf("AssertAxe reported %q", r.errors)
	}
	if v := p.CSPViolations(); len(v) > 0 {
		t.Errorf("injecting axe broke the page's CSP: %v", v)
	}

	p.Navigate(FileURL(dir, "good.html"))
	var g recorder
	p.AssertAxe(&g, "good")
	if len(g.errors) > 0 {
		t.Errorf("a clean page failed axe: %q", g.errors)
	}
	p.AssertNoConsoleErrors(t)
}
