package load

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/coachsite/coachsite/generator/model"
)

const (
	kimA = "content/clients/kim/2026-01-14.md"
	kimB = "content/clients/kim/2026-01-28.md"
	kimC = "content/clients/kim/2026-02-11.md"
)

// ledgerOf loads ./content and returns Kim's commitments per session, each
// as "id text due status".
func ledgerOf(t *testing.T) [][]string {
	t.Helper()
	site, err := Site("content", Options{})
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	var out [][]string
	for _, s := range site.Clients[0].Sessions {
		var row []string
		for _, c := range s.Commitments {
			row = append(row, strings.TrimSpace(fmt.Sprintf("%s %s %s %s", c.ID, c.Text, c.Due, c.Status)))
		}
		out = append(out, row)
	}
	return out
}

// TestLedgerIDsAreStable pins derived ids: they are written into content
// files by new session, so a change of idFor would break every site.
func TestLedgerIDsAreStable(t *testing.T) {
	for _, c := range []struct {
		day  model.Date
		text string
		n    int
		want string
	}{
		{model.NewDate(2026, 2, 11), "Call Sam", 4, "zqqa"},
		{model.NewDate(2026, 2, 11), "Write the list", 4, "sxne"},
		{model.NewDate(2026, 2, 11), "Write the list", 6, "sxnee6"},
	} {
		if got := idFor(c.day, c.text, c.n); got != c.want {
			t.Errorf("idFor(%s, %q, %d) = %q, want %q", c.day, c.text, c.n, got, c.want)
		}
	}
}

// TestLedgerCarriedByID: a later mention by id is the same commitment; text
// and due left out stay as they were; the latest mention sets the status.
func TestLedgerCarriedByID(t *testing.T) {
	id := idFor(model.NewDate(2026, 1, 14), "Call Sam", idLen)
	writeTree(t, baseSite, map[string]string{
		kimA: "---\ncommitments:\n  - {text: Call Sam, due: 2026-01-20}\n  - {text: Draft the plan, status: done}\n---\n",
		kimB: "---\ncommitments:\n  - {id: " + id + ", due: 2026-02-01}\n  - Book the offsite\n---\n",
		kimC: "---\ncommitments:\n  - {id: " + id + ", status: done}\n---\n",
	})
	plan := idFor(model.NewDate(2026, 1, 14), "Draft the plan", idLen)
	offsite := idFor(model.NewDate(2026, 1, 28), "Book the offsite", idLen)
	want := [][]string{
		{id + " Call Sam 2026-01-20 open", plan + " Draft the plan  done"},
		{id + " Call Sam 2026-02-01 open", offsite + " Book the offsite  open"},
		{id + " Call Sam 2026-02-01 done"},
	}
	if got := ledgerOf(t); !reflect.DeepEqual(got, want) {
		t.Errorf("ledger\n got %q\nwant %q", got, want)
	}
}

// TestLedgerTextMatch: files written before ids repeat an open commitment's
// text; that is the same commitment, a closed one's text is a new one.
func TestLedgerTextMatch(t *testing.T) {
	writeTree(t, baseSite, map[string]string{
		kimA: "---\ncommitments:\n  - {text: Call Sam, status: open}\n  - {text: Rest, status: done}\n---\n",
		kimB: "---\ncommitments:\n  - {text: Call Sam, status: done}\n  - {text: Rest, status: open}\n---\n",
		// Earlier versions of new session listed a commitment carried twice
		// twice: the same words twice are one mention.
		kimC: "---\ncommitments:\n  - {text: Rest, status: open}\n  - {text: Rest, status: open}\n---\n",
	})
	sam := idFor(model.NewDate(2026, 1, 14), "Call Sam", idLen)
	rest1 := idFor(model.NewDate(2026, 1, 14), "Rest", idLen)
	rest2 := idFor(model.NewDate(2026, 1, 28), "Rest", idLen)
	want := [][]string{
		{sam + " Call Sam  open", rest1 + " Rest  done"},
		{sam + " Call Sam  done", rest2 + " Rest  open"},
		{rest2 + " Rest  open"},
	}
	if got := ledgerOf(t); !reflect.DeepEqual(got, want) {
		t.Errorf("ledger\n got %q\nwant %q", got, want)
	}
}

// TestLedgerIDClash: two commitments whose derived ids would clash get
// distinct ids, the later one lengthened.
func TestLedgerIDClash(t *testing.T) {
	day := model.NewDate(2026, 1, 14)
	seen := map[string]string{}
	var a, b string
	for i := 0; a == ""; i++ {
		text := fmt.Sprintf("task %d", i)
		id := idFor(day, text, idLen)
		if first, ok := seen[id]; ok {
			a, b = first, text
		}
		seen[id] = text
	}
	writeTree(t, baseSite, map[string]string{
		kimA: "---\ncommitments:\n  - " + a + "\n  - " + b + "\n---\n",
	})
	got := ledgerOf(t)[0]
	want := []string{idFor(day, a, idLen) + " " + a + "  open", idFor(day, b, idLen+1) + " " + b + "  open"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("clash of %q and %q: got %q, want %q", a, b, got, want)
	}
}

// TestLedgerErrors: each broken rule is a PATH:LINE error.
func TestLedgerErrors(t *testing.T) {
	sam := idFor(model.NewDate(2026, 1, 14), "Call Sam", idLen)
	first := "---\ncommitments:\n  - Call Sam\n---\n"
	tests := []struct {
		name    string
		changes map[string]string
		want    []string
	}{
		{"id naming nothing",
			map[string]string{kimA: first, kimB: "---\ncommitments:\n  - {id: zzzz, status: done}\n---\n"},
			[]string{kimB + `:3: commitments[1].id: "zzzz" names no commitment made in an earlier session; a new commitment is written without an id (if you changed its text in the session that made it, change that back and change the text here)`}},
		{"id of a later session",
			map[string]string{kimA: "---\ncommitments:\n  - {id: " + idFor(model.NewDate(2026, 1, 28), "Later", idLen) + "}\n---\n", kimB: "---\ncommitments: [Later]\n---\n"},
			[]string{kimA + `:3: commitments[1].id: "` + idFor(model.NewDate(2026, 1, 28), "Later", idLen) + `" names no commitment made in an earlier session; a new commitment is written without an id (if you changed its text in the session that made it, change that back and change the text here)`}},
		{"id of the same session",
			map[string]string{kimA: "---\ncommitments:\n  - Call Sam\n  - {id: " + sam + "}\n---\n"},
			[]string{kimA + `:4: commitments[2].id: "` + sam + `" names no commitment made in an earlier session; a new commitment is written without an id (if you changed its text in the session that made it, change that back and change the text here)`}},
		{"one id twice in a session",
			map[string]string{kimA: first, kimB: "---\ncommitments:\n  - {id: " + sam + "}\n  - text: Again\n    id: " + sam + "\n    status: done\n---\n"},
			[]string{kimB + ":4: commitments[2]: this session already mentions commitment " + sam + " (commitments[1], line 3); mention it once"}},
		{"id and its text in one session",
			map[string]string{kimA: first, kimB: "---\ncommitments:\n  - {id: " + sam + ", status: done}\n  - Call Sam\n---\n"},
			[]string{kimB + ":4: commitments[2]: this session already mentions commitment " + sam + " (commitments[1], line 3); mention it once"}},
		{"text twice with different status",
			map[string]string{kimA: first, kimB: "---\ncommitments:\n  - {text: Call Sam, status: done}\n  - {text: Call Sam, status: open}\n---\n"},
			[]string{kimB + ":4: commitments[2]: this session already mentions commitment " + sam + " (commitments[1], line 3); mention it once"}},
		{"id not an id",
			map[string]string{kimA: "---\ncommitments:\n  - {id: [a], text: x}\n---\n"},
			[]string{kimA + `:3: commitments[1].id: a list is not a commitment id: copy the id, like k3fq, from the session that carried it`}},
		{"id with empty text",
			map[string]string{kimA: first, kimB: "---\ncommitments:\n  - {id: " + sam + ", text: \"\"}\n---\n"},
			[]string{kimB + ":3: commitments[1]: a commitment needs text, like {text: Call Sam, due: 2026-01-20}"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			writeTree(t, baseSite, tc.changes)
			got := loadErrors(t)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("errors\n got:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "))
			}
		})
	}
}

// TestLedgerBrokenSessionHidesUnknownIDs: when a session of the client fails
// to load, an id that may name a commitment made there is not reported too.
func TestLedgerBrokenSessionHidesUnknownIDs(t *testing.T) {
	writeTree(t, baseSite, map[string]string{
		kimA: "---\ncommitments:\n  - Call Sam\nratings: {vision: 12}\n---\n",
		kimB: "---\ncommitments:\n  - {id: " + idFor(model.NewDate(2026, 1, 14), "Call Sam", idLen) + "}\n---\n",
	})
	got := loadErrors(t)
	if len(got) != 1 || !strings.Contains(got[0], "ratings.vision") {
		t.Errorf("errors = %q, want only the rating", got)
	}
}

// FuzzLedger loads a client whose three sessions hold arbitrary commitment
// lists: the ledger never panics, a loaded client gives every commitment an
// id, and one session never mentions a commitment twice.
func FuzzLedger(f *testing.F) {
	f.Add("[a, b]", "[{id: x}, a]", "[{id: "+idFor(model.NewDate(2026, 1, 14), "a", idLen)+", status: done}, a, a]")
	f.Add("[{text: a, status: done}]", "[a]", "[{text: a, due: 2026-01-01}, {text: a}]")
	f.Add("[a, a]", "[{id: "+idFor(model.NewDate(2026, 1, 14), "a", idLen+1)+"}]", "[]")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		files := map[string]string{}
		for k, v := range baseSite {
			files[k] = v
		}
		for p, list := range map[string]string{kimA: a, kimB: b, kimC: c} {
			files[p] = "---\ncommitments: " + strings.ReplaceAll(list, "\n", " ") + "\n---\n"
		}
		writeTree(t, files, nil)
		site, err := Site("content", Options{})
		if err != nil {
			return
		}
		for _, s := range site.Clients[0].Sessions {
			seen := map[string]bool{}
			for _, cm := range s.Commitments {
				if cm.ID == "" || seen[cm.ID] {
					t.Fatalf("%s: commitment %+v without an id or twice", s.Slug, cm)
				}
				seen[cm.ID] = true
			}
		}
	})
}
