package markdown

import (
	"bytes"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

const secret = "SECRET-bd41"

func TestPrivateBlockOnlyForCoach(t *testing.T) {
	tests := []struct {
		name, src string
	}{
		{"backticks", "Intro.\n\n```private\n" + secret + "\n```\n\nAfter.\n"},
		{"tildes", "~~~private\n" + secret + "\n~~~\n"},
		{"longer fence", "`````private\n" + secret + "\n```\nstill inside\n`````\n"},
		{"upper case", "```Private\n" + secret + "\n```\n"},
		{"space before word", "``` private\n" + secret + "\n```\n"},
		{"full-width letters", "```ｐｒｉｖａｔｅ\n" + secret + "\n```\n"},
		{"zero-width space and nbsp", "```\u200b\u00a0private\u00ad\n" + secret + "\n```\n"},
		{"character reference", "```priv&#97;te\n" + secret + "\n```\n"},
		{"unclosed runs to the end", "Text.\n\n```private\n" + secret + "\n\n# Heading\n"},
		{"interrupts a paragraph", "Text\n```private\n" + secret + "\n```\n"},
		{"indented by three", "   ```private\n   " + secret + "\n   ```\n"},
		{"html inside", "```private\n<script>alert('" + secret + "')</script>\n```\n"},
		{"markdown inside", "```private\n[link](https://x.example/" + secret + ") **" + secret + "**\n```\n"},
		{"two blocks", "```private\nA " + secret + "\n```\n\nmiddle\n\n```private\nB " + secret + "\n```\n"},
		{"crlf", "Text\r\n\r\n```private\r\n" + secret + "\r\n```\r\n"},
		{"at the very end without newline", "```private\n" + secret},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, errs := Convert([]byte(tt.src), "s.md", 1)
			if len(errs) > 0 {
				t.Fatalf("errors: %v", errs)
			}
			if strings.Contains(string(n.Client), secret) || strings.Contains(string(n.Client), "private-note") {
				t.Errorf("client HTML holds the private block:\n%s", n.Client)
			}
			if !n.HasPrivate {
				t.Errorf("HasPrivate = false")
			}
			if !strings.Contains(string(n.Coach), secret) {
				t.Errorf("coach HTML lacks the private text:\n%s", n.Coach)
			}
			if !strings.Contains(string(n.Coach), `<aside class="private-note" data-private>`) ||
				!strings.Contains(string(n.Coach), PrivateLabel) {
				t.Errorf("coach HTML lacks the labelled aside:\n%s", n.Coach)
			}
			if strings.Contains(string(n.Coach), "<script") || strings.Contains(string(n.Coach), "<a ") {
				t.Errorf("private text not escaped:\n%s", n.Coach)
			}
		})
	}
}

func TestPrivateParagraphs(t *testing.T) {
	n, errs := Convert([]byte("```private\none\ntwo\n\nthree & four\n```\n"), "s.md", 1)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	want := "<aside class=\"private-note\" data-private><p class=\"private-note-label\"><strong>Coach only</strong></p>\n" +
		"<p>one<br>\ntwo</p>\n<p>three &amp; four</p>\n</aside>\n"
	if string(n.Coach) != want {
		t.Errorf("coach HTML\n got %q\nwant %q", n.Coach, want)
	}
	if n.Client != "" {
		t.Errorf("client HTML = %q, want empty", n.Client)
	}
}

func TestStrayPrivateLines(t *testing.T) {
	const msg = `a "` + "```private" + `" line must start a fenced block at the top level ` +
		`(not indented, not inside a list, quote, table or another fence), or its notes would show on the client's page`
	tests := []struct {
		name  string
		src   string
		lines []int // within the file, body starting at line 10
	}{
		{"indented four spaces", "Text.\n\n    ```private\n    " + secret + "\n    ```\n", []int{12}},
		{"indented by a tab", "\t```private\n\t" + secret + "\n", []int{10}},
		{"in a list item", "- item\n\n  ```private\n  " + secret + "\n  ```\n", []int{12}},
		{"in an ordered list item", "1. ```private\n   " + secret + "\n   ```\n", []int{10}},
		{"in a block quote", "> ```private\n> " + secret + "\n> ```\n", []int{10}},
		{"in a nested quote and list", "> - > ~~~private\n>   > " + secret + "\n", []int{10}},
		{"inside another fence", "````md\n```private\n" + secret + "\n```\n````\n", []int{11}},
		{"inside a private fence", "````private\n```private\n" + secret + "\n```\n````\n", []int{11}},
		{"inside an html block", "<div>\n```private\n" + secret + "\n```\n</div>\n", nil},
		{"several", "- a\n  ```private\n  x\n  ```\n\n    ```PRIVATE\n", []int{11, 15}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, errs := Convert([]byte(tt.src), "content/clients/kim/2026-01-14.md", 10)
			if cn, cerrs := Check([]byte(tt.src), "content/clients/kim/2026-01-14.md", 10); cn != n || !slices.Equal(cerrs, errs) {
				t.Errorf("Check: %+v %q, Convert: %+v %q", cn, cerrs, n, errs)
			}
			if n.Client != "" || n.Coach != "" {
				t.Errorf("notes returned with errors: %+v", n)
			}
			var got []string
			for _, e := range errs {
				got = append(got, e.Error())
			}
			var want []string
			for _, l := range tt.lines {
				want = append(want, "content/clients/kim/2026-01-14.md:"+strconv.Itoa(l)+": "+msg)
			}
			if tt.lines == nil {
				// An HTML block is dropped, so the fence inside is not a
				// fence; the line is still refused.
				want = []string{"content/clients/kim/2026-01-14.md:11: " + msg}
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("errors\n got %q\nwant %q", got, want)
			}
		})
	}
}

func TestNotPrivate(t *testing.T) {
	// Ordinary code blocks, and the word private outside a fence, are
	// shown to everyone.
	for _, src := range []string{
		"```go\nfmt.Println(\"private\")\n```\n",
		"~~~python\nprivate = 1\n~~~\n",
		"```\nno info string\n```\n",
		"Some private words.\n",
		"`` private ``\n",
		"A ``code`` span and ~~struck~~ text about coaching.\n",
	} {
		n, errs := Convert([]byte(src), "s.md", 1)
		if len(errs) > 0 {
			t.Errorf("%q: %v", src, errs)
		}
		if n.HasPrivate || n.Coach != n.Client || n.Client == "" {
			t.Errorf("%q: HasPrivate=%v, coach differs from client or empty", src, n.HasPrivate)
		}
	}
	// Inside a go fence, a private opener is refused like any stray one.
	if _, errs := Convert([]byte("```go\n```private\n"), "s.md", 1); len(errs) != 1 {
		t.Errorf("errors %v, want one", errs)
	}
}

func TestUnsafeURLsEmptied(t *testing.T) {
	src := strings.Join([]string{
		"[a](javascript:alert(1))",
		"[b](JavaScript:alert(1))",
		"[c]( vbscript:msgbox(1))",
		"[d](data:text/html;base64,PHNjcmlwdD4=)",
		"![e](data:image/png;base64,iVBORw0KGgo=)",
		"![f](javascript:alert(1))",
		"[g](&#106;avascript:alert(1))",
		"[h](file:///etc/passwd)",
		"<javascript:alert(1)>",
		"<data:image/png;base64,iVBORw0KGgo=>",
		"[ref]",
		"",
		"[ref]: javascript:alert(1)",
	}, "\n")
	n, errs := Convert([]byte(src), "s.md", 1)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	h := strings.ToLower(string(n.Client))
	for _, bad := range []string{"javascript:", "vbscript:", "data:", "file:"} {
		if strings.Contains(h, `="`+bad) || strings.Contains(h, "href=\""+bad) {
			t.Errorf("%s kept in an attribute:\n%s", bad, n.Client)
		}
	}
	if c := strings.Count(h, `href=""`); c != 7 {
		t.Errorf("%d emptied hrefs, want 7:\n%s", c, n.Client)
	}
	if c := strings.Count(h, `src=""`); c != 2 {
		t.Errorf("%d emptied srcs, want 2:\n%s", c, n.Client)
	}
	// Autolinks with a bad scheme become plain text.
	if !strings.Contains(h, "javascript:alert(1)") || strings.Contains(h, "<a href=\"javascript") {
		t.Errorf("autolink not turned into text:\n%s", n.Client)
	}
}

func TestSafeLinksKept(t *testing.T) {
	src := "[a](https://example.org/x?y=1#z) [b](mailto:kim@example.org) [c](../other/) [d](#notes) [e](tel:+41441234567) www.example.com"
	n, errs := Convert([]byte(src), "s.md", 1)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for _, want := range []string{
		`href="https://example.org/x?y=1#z"`, `href="mailto:kim@example.org"`, `href="../other/"`,
		`href="#notes"`, `href="tel:+41441234567"`, `href="http://www.example.com"`,
	} {
		if !strings.Contains(string(n.Client), want) {
			t.Errorf("missing %s in\n%s", want, n.Client)
		}
	}
}

func TestSafeURL(t *testing.T) {
	tests := []struct {
		url  string
		safe bool
	}{
		{"", true}, {"page.html", true}, {"/a:b", true}, {"./x:y", true}, {"?q=a:b", true}, {"#a:b", true},
		{"http://x", true}, {"HTTPS://x", true}, {"mailto:a@b", true}, {"tel:1", true}, {"ftp://x", true},
		{"javascript:x", false}, {"JAVASCRIPT:x", false}, {" \x01javascript:x", false},
		{"java\tscript:x", false}, {"java\nscript:x", false}, {"vbscript:x", false},
		{"data:image/png;base64,x", false}, {"file:///x", false}, {"chrome:x", false},
		{"1abc:x", true}, // not a scheme: starts with a digit
	}
	for _, tt := range tests {
		if got := SafeURL([]byte(tt.url)); got != tt.safe {
			t.Errorf("SafeURL(%q) = %v, want %v", tt.url, got, tt.safe)
		}
	}
}

func TestRawHTMLDropped(t *testing.T) {
	src := "<script>alert(1)</script>\n\n<div onclick=\"x()\">block</div>\n\nText <img src=x onerror=alert(1)> and <b>bold</b>.\n\n<!-- comment -->\n"
	n, errs := Convert([]byte(src), "s.md", 1)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for _, bad := range []string{"<script", "<div", "<img", "onerror", "onclick", "<b>", "<!--"} {
		if strings.Contains(string(n.Client), bad) {
			t.Errorf("raw HTML %q passed through:\n%s", bad, n.Client)
		}
	}
	if !strings.Contains(string(n.Client), "<p>Text  and bold.</p>") {
		t.Errorf("text around inline HTML lost:\n%s", n.Client)
	}
}

func TestGFM(t *testing.T) {
	src := "# Title Here\n\n| Area | Today |\n| :--- | ---: |\n| vision | 4 |\n\n- [x] done\n- [ ] open\n\n~~gone~~ see https://example.org/a and note[^n].\n\n[^n]: The footnote.\n"
	n, errs := Convert([]byte(src), "s.md", 1)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for _, want := range []string{
		`<h1 id="title-here">Title Here</h1>`,
		`<th align="left">Area</th>`, `<td align="right">4</td>`,
		`<li><label class="task"><input checked="" disabled="" type="checkbox"> done</label></li>`,
		`<li><label class="task"><input disabled="" type="checkbox"> open</label></li>`,
		`<del>gone</del>`, `<a href="https://example.org/a">https://example.org/a</a>`,
		`class="footnote-ref"`, `<div class="footnotes" role="doc-endnotes">`, "The footnote.",
	} {
		if !strings.Contains(string(n.Client), want) {
			t.Errorf("missing %s in\n%s", want, n.Client)
		}
	}
	if strings.Contains(string(n.Client), "style=") {
		t.Errorf("table alignment rendered as style:\n%s", n.Client)
	}
}

func TestSizeCap(t *testing.T) {
	_, errs := Convert(make([]byte, MaxSize+1), "big.md", 3)
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "big.md: the Markdown body is 1048577 bytes, over the cap") {
		t.Errorf("errors = %v", errs)
	}
}

// TestConcurrent renders bodies with tables and private blocks from many
// goroutines; run with -race to check the shared goldmark instances.
func TestConcurrent(t *testing.T) {
	src := []byte("| a | b |\n|:-|-:|\n| 1 | 2 |\n\n```private\n" + secret + "\n```\n\ntext[^1]\n\n[^1]: f\n")
	first, _ := Convert(src, "s.md", 1)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				n, errs := Convert(src, "s.md", 1)
				if len(errs) > 0 || n != first {
					t.Errorf("concurrent result differs: %v", errs)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// FuzzConvert checks that no body panics and that a private block's text
// never reaches the client's HTML.
func FuzzConvert(f *testing.F) {
	f.Add("```private\nx\n```\n")
	f.Add("- a\n  ```private\n")
	f.Add("[a](javascript:x) <b>x</b> | a |\n|-|\n")
	f.Fuzz(func(t *testing.T, s string) {
		src := s + "\n\n```private\n" + secret + "\n```\n"
		n, errs := Convert([]byte(src), "f.md", 1)
		if len(errs) == 0 && strings.Contains(string(n.Client), secret) && !strings.Contains(s, secret) {
			t.Errorf("private text in client HTML for %q:\n%s", src, n.Client)
		}
	})
}

func BenchmarkConvert(b *testing.B) {
	body, err := os.ReadFile("testdata/body.md")
	if err != nil {
		b.Fatal(err)
	}
	withPrivate := append(append([]byte{}, body...), "\n```private\nTone shifted when the founder came up.\nWatch my own urge to rescue here.\n```\n"...)
	for _, bc := range []struct {
		name string
		src  []byte
	}{{"plain", body}, {"private", withPrivate}, {"nolinks", bytes.ReplaceAll(body, []byte("https:"), nil)},
		{"barelink", append(append([]byte{}, body...), "\nSee https://example.org/x.\n"...)}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.src)))
			b.ReportAllocs()
			for b.Loop() {
				if _, errs := Convert(bc.src, "s.md", 12); len(errs) > 0 {
					b.Fatal(errs)
				}
			}
		})
	}
}

func TestCheckAgreesWithConvert(t *testing.T) {
	for _, src := range []string{
		"",
		"Plain notes with a [link](https://example.org) and **bold**.\n",
		"Before.\n\n```private\n" + secret + "\n```\n\nAfter.\n",
		"~~~PRIVATE extra words\nx\n~~~\n",
		"```privately\nshown\n```\n",
		"The private word alone, in a paragraph.\n",
		"- item\n\n  ```private\n  x\n  ```\n",
		"<div>\n```private\nx\n```\n</div>\n",
		strings.Repeat("a", MaxSize+1),
	} {
		n, errs := Convert([]byte(src), "p.md", 5)
		cn, cerrs := Check([]byte(src), "p.md", 5)
		if cn.Client != "" || cn.Coach != "" {
			t.Errorf("Check rendered HTML for %.40q", src)
		}
		if cn.HasPrivate != n.HasPrivate || !slices.Equal(cerrs, errs) {
			t.Errorf("%.40q: Check gives %v %q, Convert %v %q", src, cn.HasPrivate, cerrs, n.HasPrivate, errs)
		}
	}
}

func BenchmarkCheck(b *testing.B) {
	src := []byte(strings.Repeat("Some notes about the session, with *emphasis* and a [link](https://example.org).\n\n- a point\n- another\n\n", 20))
	b.Run("convert", func(b *testing.B) {
		for b.Loop() {
			Convert(src, "p.md", 5)
		}
	})
	b.Run("check", func(b *testing.B) {
		for b.Loop() {
			Check(src, "p.md", 5)
		}
	})
}

// TestTaskListLabels: a task list item's checkbox is labelled by the item's
// own text, in tight and loose lists and with a nested list, so that a
// screen reader names it.
func TestTaskListLabels(t *testing.T) {
	for src, want := range map[string]string{
		"- [ ] Call *Kim* [back](https://example.org)\n": `<li><label class="task"><input disabled="" type="checkbox"> Call <em>Kim</em> <a href="https://example.org">back</a></label></li>`,
		"- [x] one\n\n- [ ] two\n":                       "<li>\n<p><label class=\"task\"><input checked=\"\" disabled=\"\" type=\"checkbox\"> one</label></p>\n</li>",
		"- [ ] parent\n  - [x] child\n":                  "<li><label class=\"task\"><input disabled=\"\" type=\"checkbox\"> parent</label>\n<ul>\n<li><label class=\"task\"><input checked=\"\" disabled=\"\" type=\"checkbox\"> child</label></li>",
		"- plain [ ] item\n":                             "<li>plain [ ] item</li>",
	} {
		n, errs := Convert([]byte(src), "s.md", 1)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		if !strings.Contains(string(n.Client), want) || strings.Count(string(n.Client), "<label") != strings.Count(string(n.Client), "</label>") {
			t.Errorf("%q:\n got %s\nwant %s", src, n.Client, want)
		}
	}
}
