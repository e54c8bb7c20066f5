package markdown

import (
	"strings"
	"testing"
)

func TestStripPrivate(t *testing.T) {
	tests := []struct {
		name, src, want string
		n               int
	}{
		{"none", "Text.\n\n```go\nx\n```\n", "Text.\n\n```go\nx\n```\n", 0},
		{"backticks", "Before.\n\n```private\n" + secret + "\n```\n\nAfter.\n", "Before.\n\n\nAfter.\n", 1},
		{"tildes, indented", "A\n\n  ~~~~ PRIVATE\n" + secret + "\n  ~~~~~  \nB\n", "A\n\nB\n", 1},
		{"longer fence holds a shorter", "````private\n```\n" + secret + "\n```\n````\nafter\n", "after\n", 1},
		{"empty block", "```private\n```\nafter\n", "after\n", 1},
		{"unclosed runs to the end", "A\n\n```private\n" + secret + "\n\n# Heading\n", "A\n\n", 1},
		{"unclosed, no newline", "A\n```private", "A\n", 1},
		{"two, and normalized spellings", "```ｐｒｉｖａｔｅ\n" + secret + "\n```\nmid\n~~~\u00a0private\n" + secret + "\n~~~\nend", "mid\nend", 2},
		{"crlf", "A\r\n```private\r\n" + secret + "\r\n```\r\nB\r\n", "A\r\nB\r\n", 1},
		{"closing fence of the other kind is content", "```private\n~~~\n" + secret + "\n```\nB\n", "B\n", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, n, err := StripPrivate([]byte(tt.src), "s.md", 1)
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != tt.want || n != tt.n {
				t.Errorf("got %d, %q; want %d, %q", n, out, tt.n, tt.want)
			}
			if strings.Contains(string(out), secret) {
				t.Error("the private text is left")
			}
		})
	}
	// What Convert refuses, StripPrivate refuses.
	for _, src := range []string{"```private-notes\nx\n```\n", "- ```private\n  x\n  ```\n", "    ```private\n"} {
		if _, _, err := StripPrivate([]byte(src), "s.md", 1); err == nil {
			t.Errorf("%q: no error", src)
		}
	}
}

// FuzzStripPrivate checks that whatever StripPrivate accepts comes out
// with no private block left in it.
func FuzzStripPrivate(f *testing.F) {
	f.Add("A\n```private\nx\n```\nB\n")
	f.Add("````private\n```\nx\n````\n")
	f.Add("~~~private\n")
	f.Fuzz(func(t *testing.T, src string) {
		out, _, err := StripPrivate([]byte(src), "s.md", 1)
		if err != nil {
			return
		}
		n, errs := Convert(out, "s.md", 1)
		if len(errs) > 0 || n.HasPrivate {
			t.Fatalf("stripped %q to %q: errors %v, private %v", src, out, errs, n.HasPrivate)
		}
	})
}
