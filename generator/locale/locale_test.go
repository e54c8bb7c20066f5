package locale_test

import (
	"testing"

	"github.com/coachsite/coachsite/generator/locale"
)

func testLang(t *testing.T) *locale.Lang {
	t.Helper()
	c := locale.NewCatalog()
	if err := c.Add("i18n/en.yaml", []byte(`
sessions: {one: "{{.Count}} session", other: "{{.Count}} sessions"}
rated: "{{.Area}} rated {{.Value}}"
pair: "{{.A}}|{{.B}}"
month_1: January
month_2: February
month_3: March
month_4: April
month_5: May
month_6: June
month_7: July
month_8: August
month_9: September
month_10: October
month_11: November
month_12: December
month_short_1: Jan
month_short_2: Feb
month_short_3: Mar
month_short_4: Apr
month_short_5: May
month_short_6: Jun
month_short_7: Jul
month_short_8: Aug
month_short_9: Sep
month_short_10: Oct
month_short_11: Nov
month_short_12: Dec
direction: ltr
date: "{{.Day}} {{.Month}} {{.Year}}"
`)); err != nil {
		t.Fatal(err)
	}
	l, err := c.Lang("en")
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestFilledMessagesCached checks that a message filled with values gives
// the same words the second time (from the cache) as the first, that
// values of other types are kept apart, and that plural forms still follow
// the count.
func TestFilledMessagesCached(t *testing.T) {
	l := testLang(t)
	for range 2 {
		for _, c := range []struct {
			id   string
			arg  any
			want string
		}{
			{"sessions", 1, "1 session"},
			{"sessions", 2, "2 sessions"},
			{"sessions", 1.5, "1.5 sessions"},
			{"sessions", locale.Percent(12.5), "12.5% sessions"},
			{"rated", map[string]any{"Area": "Vision", "Value": 7}, "Vision rated 7"},
			{"rated", map[string]any{"Area": "Vision", "Value": "7"}, "Vision rated 7"},
			{"rated", map[string]any{"Area": "Vision", "Value": 7.5}, "Vision rated 7.5"},
			{"rated", map[string]any{"Value": 7, "Area": "Service"}, "Service rated 7"},
		} {
			got, err := l.T(c.id, c.arg)
			if err != nil || got != c.want {
				t.Errorf("T(%q, %v) = %q, %v; want %q", c.id, c.arg, got, err, c.want)
			}
		}
	}
	if _, err := l.T("rated", map[string]any{"Area": "Vision"}); err == nil {
		t.Error("a message missing a value was filled in")
	}
	// A value of a type a key cannot hold is not cached, and still works.
	type name string
	if got, err := l.T("rated", map[string]any{"Area": name("Vision"), "Value": 3}); err != nil || got != "Vision rated 3" {
		t.Errorf("got %q, %v", got, err)
	}
}

// TestFilledMatchesFill fills messages through one Lang's cache, twice,
// and checks each against a fresh Lang, which fills it anew, for values
// that are cached and values that are not, and for values that would
// have shared a key had the key not said where each string ends.
func TestFilledMatchesFill(t *testing.T) {
	l := testLang(t)
	args := []struct {
		id  string
		arg any
	}{
		{"sessions", 1}, {"sessions", 2}, {"sessions", int64(2)}, {"sessions", 2.0}, {"sessions", locale.Percent(2)},
		{"rated", map[string]any{"Area": "Vision", "Value": 7}},
		{"rated", map[string]any{"Area": "Vision", "Value": "7"}},
		{"rated", map[string]any{"Area": "A very long area name, not cached", "Value": 7}},
		{"pair", map[string]any{"A": "x\x00B\x00sy", "B": ""}},
		{"pair", map[string]any{"A": "x", "B": "y"}},
		{"pair", map[string]any{"A": "x\x00B\x00sy"}}, // no B: an error
		{"pair", map[string]any{"A": "1:x", "B": "y"}},
		{"pair", map[string]any{"A": "", "B": "1:xy"}},
	}
	for range 2 {
		for _, a := range args {
			got, err := l.T(a.id, a.arg)
			want, werr := testLang(t).T(a.id, a.arg)
			if got != want || (err == nil) != (werr == nil) {
				t.Errorf("T(%q, %v) = %q, %v; filled anew %q, %v", a.id, a.arg, got, err, want, werr)
			}
		}
	}
}
