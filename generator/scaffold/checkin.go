package scaffold

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/coachsite/coachsite/generator/model"
)

// CheckIn writes a client's opened check-in as a new draft session file of
// client c in the content folder and returns its path: the ratings, time
// split, commitment statuses by id, energizers and drainers as front
// matter, draft: true, and the client's commitment notes and reflection as
// a quoted section for the coach to work from. The file is
// DATE-check-in.md, or DATE-check-in-2.md and so on when that exists: it
// never overwrites a file.
func CheckIn(content string, c *model.Client, ci *model.CheckIn) (string, error) {
	s := ci.Session
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: Check-in\ndate: %s\n", s.Date)
	if len(s.Ratings) > 0 {
		b.WriteString("ratings:\n")
		for _, a := range c.Areas {
			if v, ok := s.Ratings[a.Key]; ok {
				fmt.Fprintf(&b, "  %s: %d\n", a.Key, v)
			}
		}
	}
	if len(s.Time) > 0 {
		b.WriteString("time:\n")
		for _, a := range c.Areas {
			if t, ok := s.Time[a.Key]; ok {
				fmt.Fprintf(&b, "  %s: {actual: %d, wished: %d}\n", a.Key, t.Actual, t.Wished)
			}
		}
	}
	if len(s.Commitments) > 0 {
		b.WriteString("commitments:                # as the client reported them: review before publishing\n")
		for _, cm := range s.Commitments {
			fmt.Fprintf(&b, "  - {id: %s, status: %s}\n", cm.ID, cm.Status)
		}
	}
	for _, l := range []struct {
		name string
		list []string
	}{{"energizers", s.Energizers}, {"drainers", s.Drainers}} {
		if len(l.list) == 0 {
			continue
		}
		fmt.Fprintf(&b, "%s:\n", l.name)
		for _, v := range l.list {
			fmt.Fprintf(&b, "  - %s\n", quote(v))
		}
	}
	b.WriteString("draft: true                 # imported from the client's check-in\n---\n\n")
	b.WriteString("## The client's check-in\n\n")
	if len(ci.Notes) > 0 {
		ids := make([]string, 0, len(ci.Notes))
		for id := range ci.Notes {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		b.WriteString("On their commitments:\n\n")
		for _, id := range ids {
			fmt.Fprintf(&b, "- %s: %s\n", id, oneLine(ci.Notes[id]))
		}
		b.WriteString("\n")
	}
	if ci.Reflection != "" {
		b.WriteString("Their reflection:\n\n")
		for _, line := range strings.Split(strings.ReplaceAll(ci.Reflection, "\r\n", "\n"), "\n") {
			b.WriteString(strings.TrimRight("> "+line, " ") + "\n")
		}
	}
	dir := filepath.Join(content, "clients", c.Slug)
	for n := 1; ; n++ {
		name := s.Date.String() + "-check-in"
		if n > 1 {
			name += "-" + strconv.Itoa(n)
		}
		p := filepath.Join(dir, name+".md")
		if _, err := os.Lstat(p); err == nil {
			continue
		}
		return p, writeNew(p, b.String())
	}
}

// oneLine keeps a note on its list item's line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
