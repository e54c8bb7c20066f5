package markdown

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// nearMisses are info strings a coach could type meaning a coach-only
// block. Each must be refused, never published.
var nearMisses = []string{
	// The word with something around it.
	"private:", "private,", "private.", "private;", "private!", "private-notes", "private_notes",
	"private notes", "privates", "privately", "privatenotes", ".private", "{private}",
	"{.private}", "(private)", "[private]", "\"private\"", "'private'", "#private",
	"private {.note}", "my private notes", "not private", "private2", "private-",
	// Typos: one or two edits.
	"privat", "privte", "prvate", "pivate", "rivate", "privae", "privaet", "privtae",
	"pirvate", "prviate", "rpivate", "privatw", "privare", "priavte", "\\private",
	"pr1vate", "privacy", "priv", "pvt", "privado-notes", "privvate",
	// Invisible or look-alike characters that do not make it the word.
	"pri\u200bvat", "p\u0336rivate", "рrivate" /* Cyrillic р */, "privаte", /* Cyrillic а */
	"рrіvаtе" /* five Cyrillic letters */, "ρrivate" /* Greek rho */, "privat\u0301e",
	"priv&#97;te:", "priv\\ate-notes",
	// Coach.
	"coach", "Coach", "COACH-ONLY", "coach-only", "coach only", "coachonly", "coach notes",
	"coach's notes", "coaching notes", "for the coach", "only-coach", "caoch", "coahc", "coch",
	"ｃｏａｃｈ",
	// The theme's other languages.
	"privat", "Privat-Notizen", "Coach-Notizen", "vertraulich", "geheim", "nur für den Coach",
	"privé", "privée", "Privé", "notes du coach", "confidentiel", "entraîneur",
	"privado", "privada", "notas privadas", "confidencial", "notas del coach", "notas del entrenador", "secreto",
	"vertrouwelijk", "coachnotities", "privé-notities",
	"notas do coach", "sigiloso", "treinador", "segredo",
	"خاص", "سري", "ملاحظات المدرب", "خـاص", "ﺧﺎﺹ", /* presentation forms */
	// English near relatives.
	"confidential", "secret", "secret notes",
}

func TestClassifyInfo(t *testing.T) {
	if len(nearMisses) < 30 {
		t.Fatalf("only %d near misses", len(nearMisses))
	}
	for _, info := range nearMisses {
		if got := classifyRaw([]byte(info)); got != NearMissFence {
			t.Errorf("ClassifyInfo(%q) = %v (normalized %q), want a near miss", info, got, NormalizeInfo(info))
		}
	}
	private := []string{
		"private", "Private", "PRIVATE", "PrIvAtE", " private ", "\tprivate",
		"\u00a0private", "\u200bprivate", "\ufeffprivate", "pri\u00advate", "private\u200d",
		"ｐｒｉｖａｔｅ", "ＰＲＩＶＡＴＥ", "p r i v a t e", "private\u2003", "priv&#97;te", "priv&#x61;te",
		"privat e", "pr\u2060ivate", "private\ufe0f",
	}
	for _, info := range private {
		if got := classifyRaw([]byte(info)); got != PrivateFence {
			t.Errorf("ClassifyInfo(%q) = %v (normalized %q), want private", info, got, NormalizeInfo(info))
		}
	}
	code := []string{
		"", "go", "python", "js", "javascript", "ts", "sh", "bash", "console", "text", "txt",
		"yaml", "json", "toml", "md", "markdown", "html", "css", "sql", "diff", "mermaid",
		"rust", "ruby", "java", "kotlin", "swift", "c", "c++", "php", "perl", "prolog", "print",
		"printf", "primitive", "prism", "prisma", "proto", "protobuf", "prove", "powershell",
		"pascal", "pre", "cache", "couch db", "each", "go title=main.go", "{.python .numberLines}",
		"plaintext", "r", "scheme", "pie", "privy"[:3],
	}
	for _, info := range code {
		if got := classifyRaw([]byte(info)); got != CodeFence {
			t.Errorf("ClassifyInfo(%q) = %v (normalized %q), want ordinary code", info, got, NormalizeInfo(info))
		}
	}
	t.Logf("%d near misses, %d private spellings, %d ordinary info strings", len(nearMisses), len(private), len(code))
}

func (k FenceKind) String() string {
	return [...]string{"code", "private", "near miss"}[k]
}

func TestNormalizeInfo(t *testing.T) {
	for in, want := range map[string]string{
		"Private":                   "private",
		"ＰＲＩＶＡＴＥ":                   "private",
		"\u00a0pri\u200bvate\ufeff": "private",
		"Privé Notes":               "privénotes",
		"ﬁle":                       "file",
		"ß":                         "ss",
		"e\u00a8":                   "ë",
	} {
		if got := NormalizeInfo(in); got != want {
			t.Errorf("NormalizeInfo(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestNearMissFencesRefused puts each near miss where a coach might: as a
// backtick or tilde fence at the top level, in a list item, in a block
// quote and in a table cell. Each is an error at its line naming the info
// string, and nothing is rendered.
func TestNearMissFencesRefused(t *testing.T) {
	places := []struct {
		name string
		body func(fence, info string) string
		line int
	}{
		{"top level", func(f, i string) string { return "Intro.\n\n" + f + i + "\n" + secret + "\n" + f + "\n" }, 12},
		{"list item", func(f, i string) string { return "- item\n\n  " + f + i + "\n  " + secret + "\n  " + f + "\n" }, 12},
		{"block quote", func(f, i string) string { return "> " + f + i + "\n> " + secret + "\n> " + f + "\n" }, 10},
		{"table cell", func(f, i string) string { return "| a | b |\n|---|---|\n| " + f + i + " | " + secret + " |\n" }, 12},
	}
	n := 0
	for _, info := range nearMisses {
		for _, fence := range []string{"```", "~~~"} {
			for _, p := range places {
				src := p.body(fence, info)
				notes, errs := Convert([]byte(src), "content/clients/kim/2026-01-14.md", 10)
				n++
				if len(errs) != 1 {
					t.Errorf("%s %s%s: %d errors %q, want one", p.name, fence, info, len(errs), errs)
					continue
				}
				want := fmt.Sprintf("content/clients/kim/2026-01-14.md:%d: fenced block ", p.line)
				if msg := errs[0].Error(); !strings.HasPrefix(msg, want) ||
					!strings.HasSuffix(msg, " looks like a coach-only block; did you mean ```private?") {
					t.Errorf("%s %s%s: error %q", p.name, fence, info, msg)
				}
				if notes.Client != "" || notes.Coach != "" {
					t.Errorf("%s %s%s: notes rendered despite the error", p.name, fence, info)
				}
				if _, cerrs := Check([]byte(src), "content/clients/kim/2026-01-14.md", 10); len(cerrs) != 1 {
					t.Errorf("%s %s%s: Check gives %q", p.name, fence, info, cerrs)
				}
			}
		}
	}
	t.Logf("%d bodies refused", n)
}

// TestNearMissMessageShowsInvisibles checks that the error quotes the info
// string so that an invisible character in it can be seen.
func TestNearMissMessageShowsInvisibles(t *testing.T) {
	_, errs := Convert([]byte("```pri\u200bvat\nx\n```\n"), "s.md", 1)
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), `"pri\u200bvat"`) {
		t.Errorf("errors %q", errs)
	}
}

// TestPrivateFenceInTableCell covers the exact word in an inline code span of
// a table cell: not a fence, so refused.
func TestPrivateFenceInTableCell(t *testing.T) {
	for _, src := range []string{
		"| a |\n|---|\n| ```private |\n| " + secret + " |\n| ``` |\n",
		"| a | ```private " + secret + "``` |\n|---|---|\n",
		"Text ```private " + secret + "``` more.\n",
		"[^1]: ```private\n\n[^1]\n",
		"# ```private\n",
	} {
		n, errs := Convert([]byte(src), "s.md", 1)
		if len(errs) == 0 || n.Client != "" {
			t.Errorf("%q: not refused (%q)", src, n.Client)
		}
	}
}

// FuzzClassifyInfo checks that NormalizeInfo is idempotent and keeps UTF-8,
// that an info string and its normal form are classified alike, and that
// exactly the info strings whose normal form is "private" open a
// coach-only block.
func FuzzClassifyInfo(f *testing.F) {
	for _, s := range nearMisses {
		f.Add(s)
	}
	for _, s := range []string{"private", "go", "e\u00a8", "\u0345", "ﷺ", "ǅ", "\u1e9e", "İ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := NormalizeInfo(s)
		if NormalizeInfo(n) != n {
			t.Fatalf("NormalizeInfo not idempotent: %q -> %q -> %q", s, n, NormalizeInfo(n))
		}
		if utf8.ValidString(s) && !utf8.ValidString(n) {
			t.Fatalf("NormalizeInfo(%q) = %q is not UTF-8", s, n)
		}
		k := ClassifyInfo(s)
		if k != ClassifyInfo(n) {
			t.Fatalf("ClassifyInfo(%q) = %v, of its normal form %v", s, k, ClassifyInfo(n))
		}
		if (n == "private") != (k == PrivateFence) {
			t.Fatalf("ClassifyInfo(%q) = %v, normalized %q", s, k, n)
		}
		// Wrapping the exact word in anything visible never makes it
		// ordinary code.
		for _, w := range []string{s + "private", "private" + s} {
			if ClassifyInfo(w) == CodeFence {
				t.Fatalf("ClassifyInfo(%q) = code", w)
			}
		}
	})
}
