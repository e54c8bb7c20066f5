package scaffold

import (
	"testing"

	"gopkg.in/yaml.v3"
)

// TestQuoteIsYAML checks that quote writes YAML that reads back as the
// same text, control characters and line separators included.
func TestQuoteIsYAML(t *testing.T) {
	for _, s := range []string{"plain", `say "hi" \ now`, "tab\there\r\nline", "\x00\x01\x7f", "é — ü \u2028\u2029", "#not: a comment", ""} {
		var got string
		if err := yaml.Unmarshal([]byte("v: "+quote(s)+"\n"), &struct{ V *string }{&got}); err != nil || got != s {
			t.Errorf("quote(%q) = %s reads back as %q, %v", s, quote(s), got, err)
		}
	}
}
