package export

import (
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"
)

// The schema of data.json is fixed, so it is written by hand rather than
// through encoding/json's reflection and its second, indenting pass: the
// bytes are those of json.MarshalIndent(d, "", "  "), which the tests check
// on the example site and on a generated corpus.

// The JSON of an export ends in its list of clients: after "clients": [
// comes jsonNoClients when it has none, or the clients' objects and then
// jsonClientsEnd.
const (
	jsonNoClients  = "]" + jsonEnd
	jsonClientsEnd = "\n  ]" + jsonEnd
	jsonEnd        = "\n}\n"
)

// jsonWriter appends indented JSON to b. Containers are opened and closed
// with open and close; key starts a member of an object and elem an element
// of an array, each on its own line.
type jsonWriter struct {
	b     []byte
	depth int  // containers open
	first bool // nothing written yet in the innermost open container
}

func (w *jsonWriter) open(c byte) {
	w.b = append(w.b, c)
	w.depth++
	w.first = true
}

// close ends the innermost container with c: on a line of its own, or right
// after the opening bracket when the container is empty ([] or {}).
func (w *jsonWriter) close(c byte) {
	w.depth--
	if !w.first {
		w.newline()
	}
	w.b = append(w.b, c)
	w.first = false
}

// elem starts the next element of an array.
func (w *jsonWriter) elem() {
	if !w.first {
		w.b = append(w.b, ',')
	}
	w.first = false
	w.newline()
}

// key starts the member name of an object; the value follows.
func (w *jsonWriter) key(name string) {
	w.elem()
	w.b = append(w.b, '"')
	w.b = append(w.b, name...)
	w.b = append(w.b, '"', ':', ' ')
}

func (w *jsonWriter) newline() {
	w.b = append(w.b, '\n')
	for range w.depth {
		w.b = append(w.b, ' ', ' ')
	}
}

func (w *jsonWriter) null() { w.b = append(w.b, "null"...) }

func (w *jsonWriter) int(n int) { w.b = strconv.AppendInt(w.b, int64(n), 10) }

func (w *jsonWriter) intOrNull(n *int) {
	if n == nil {
		w.null()
		return
	}
	w.int(*n)
}

func (w *jsonWriter) stringOrNull(s *string) {
	if s == nil {
		w.null()
		return
	}
	w.string(*s)
}

// floatOrNull writes f as encoding/json does: like ES6, in plain decimals
// unless very small or very large.
func (w *jsonWriter) floatOrNull(f *float64) {
	if f == nil {
		w.null()
		return
	}
	v := *f
	if math.IsInf(v, 0) || math.IsNaN(v) {
		panic(fmt.Sprintf("export: unsupported value %v", v))
	}
	format := byte('f')
	if abs := math.Abs(v); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	w.b = strconv.AppendFloat(w.b, v, format, -1, 64)
	if format == 'e' { // e-7, not e-07: drop the exponent's leading zero
		n := len(w.b)
		if n >= 4 && w.b[n-4] == 'e' && w.b[n-3] == '-' && w.b[n-2] == '0' {
			w.b[n-2] = w.b[n-1]
			w.b = w.b[:n-1]
		}
	}
}

const hexDigits = "0123456789abcdef"

// string writes s quoted as encoding/json does with HTML escaping: control
// characters, <, > and & as \u00XX (or \n and kin), U+2028 and U+2029
// escaped, and bytes that are not UTF-8 as \ufffd.
func (w *jsonWriter) string(s string) {
	w.b = append(w.b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= ' ' && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			w.b = append(w.b, s[start:i]...)
			switch c {
			case '"', '\\':
				w.b = append(w.b, '\\', c)
			case '\b':
				w.b = append(w.b, '\\', 'b')
			case '\f':
				w.b = append(w.b, '\\', 'f')
			case '\n':
				w.b = append(w.b, '\\', 'n')
			case '\r':
				w.b = append(w.b, '\\', 'r')
			case '\t':
				w.b = append(w.b, '\\', 't')
			default:
				w.b = append(w.b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			w.b = append(w.b, s[start:i]...)
			w.b = append(w.b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			w.b = append(w.b, s[start:i]...)
			w.b = append(w.b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	w.b = append(w.b, s[start:]...)
	w.b = append(w.b, '"')
}

// array writes s with one element per line, null for a nil slice as
// encoding/json does.
func array[T any](w *jsonWriter, s []T, elem func(*T)) {
	if s == nil {
		w.null()
		return
	}
	w.open('[')
	for i := range s {
		w.elem()
		elem(&s[i])
	}
	w.close(']')
}

func (w *jsonWriter) strings(s []string) { array(w, s, func(s *string) { w.string(*s) }) }

func (w *jsonWriter) ints(s []int) { array(w, s, func(n *int) { w.int(*n) }) }

func (w *jsonWriter) data(d *Data) {
	w.open('{')
	w.key("schema")
	w.string(d.Schema)
	w.key("version")
	w.int(d.Version)
	w.key("site")
	w.site(&d.Site)
	w.key("clients")
	array(w, d.Clients, w.client)
	w.close('}')
}

func (w *jsonWriter) site(s *Site) {
	w.open('{')
	w.key("title")
	w.string(s.Title)
	w.key("coach")
	w.string(s.Coach)
	w.key("language")
	w.string(s.Language)
	w.key("scale")
	w.open('{')
	w.key("min")
	w.int(s.Scale.Min)
	w.key("max")
	w.int(s.Scale.Max)
	w.close('}')
	w.close('}')
}

func (w *jsonWriter) client(c *Client) {
	w.open('{')
	w.key("slug")
	w.string(c.Slug)
	w.key("name")
	w.string(c.Name)
	w.key("role")
	w.string(c.Role)
	w.key("organization")
	w.string(c.Organization)
	w.key("started")
	w.stringOrNull(c.Started)
	w.key("ended")
	w.stringOrNull(c.Ended)
	w.key("goals")
	w.strings(c.Goals)
	w.key("areas")
	array(w, c.Areas, w.area)
	w.key("sessions")
	array(w, c.Sessions, w.session)
	w.key("commitments")
	array(w, c.Commitments, w.ledgerCommitment)
	w.key("derived")
	w.derived(&c.Derived)
	w.close('}')
}

func (w *jsonWriter) area(a *Area) {
	w.open('{')
	w.key("key")
	w.string(a.Key)
	w.key("label")
	w.string(a.Label)
	w.key("description")
	w.string(a.Description)
	w.key("color")
	w.string(a.Color)
	w.close('}')
}

func (w *jsonWriter) session(s *Session) {
	w.open('{')
	w.key("slug")
	w.string(s.Slug)
	w.key("date")
	w.string(s.Date)
	w.key("title")
	w.string(s.Title)
	w.key("duration_minutes")
	w.intOrNull(s.Duration)
	w.key("format")
	w.stringOrNull(s.Format)
	w.key("ratings")
	array(w, s.Ratings, w.rating)
	w.key("time")
	array(w, s.Time, w.timeShare)
	w.key("balance_gap")
	w.floatOrNull(s.BalanceGap)
	w.key("commitments")
	array(w, s.Commitments, w.commitment)
	w.key("energizers")
	w.strings(s.Energizers)
	w.key("drainers")
	w.strings(s.Drainers)
	w.key("tags")
	w.strings(s.Tags)
	w.key("days_since_previous")
	w.intOrNull(s.DaysSincePrev)
	w.close('}')
}

func (w *jsonWriter) rating(r *Rating) {
	w.open('{')
	w.key("area")
	w.string(r.Area)
	w.key("rating")
	w.int(r.Rating)
	w.key("change_since_previous")
	w.intOrNull(r.ChangePrev)
	w.key("change_since_first")
	w.intOrNull(r.ChangeFirst)
	w.close('}')
}

func (w *jsonWriter) timeShare(t *TimeShare) {
	w.open('{')
	w.key("area")
	w.string(t.Area)
	w.key("actual")
	w.int(t.Actual)
	w.key("wished")
	w.int(t.Wished)
	w.close('}')
}

func (w *jsonWriter) commitment(c *Commitment) {
	w.open('{')
	w.key("id")
	w.string(c.ID)
	w.key("text")
	w.string(c.Text)
	w.key("due")
	w.stringOrNull(c.Due)
	w.key("status")
	w.string(c.Status)
	w.key("made_here")
	w.bool(c.MadeHere)
	w.close('}')
}

func (w *jsonWriter) bool(v bool) { w.b = strconv.AppendBool(w.b, v) }

func (w *jsonWriter) ledgerCommitment(c *LedgerCommitment) {
	w.open('{')
	w.key("id")
	w.string(c.ID)
	w.key("text")
	w.string(c.Text)
	w.key("made_on")
	w.string(c.MadeOn)
	w.key("due")
	w.stringOrNull(c.Due)
	w.key("status")
	w.string(c.Status)
	w.key("closed_on")
	w.stringOrNull(c.ClosedOn)
	w.key("days_to_close")
	w.intOrNull(c.DaysToClose)
	w.key("sessions")
	w.strings(c.Sessions)
	w.key("due_changes")
	array(w, c.DueChanges, func(d *DueChange) {
		w.open('{')
		w.key("session")
		w.string(d.Session)
		w.key("from")
		w.stringOrNull(d.From)
		w.key("to")
		w.stringOrNull(d.To)
		w.close('}')
	})
	w.key("status_changes")
	array(w, c.StatusChanges, func(s *StatusChange) {
		w.open('{')
		w.key("session")
		w.string(s.Session)
		w.key("from")
		w.string(s.From)
		w.key("to")
		w.string(s.To)
		w.close('}')
	})
	w.close('}')
}

func (w *jsonWriter) derived(d *Derived) {
	w.open('{')
	w.key("sessions")
	w.int(d.Sessions)
	w.key("first_session")
	w.stringOrNull(d.FirstSession)
	w.key("latest_session")
	w.stringOrNull(d.LatestSession)
	w.key("cadence_days")
	w.ints(d.CadenceDays)
	w.key("mean_cadence_days")
	w.floatOrNull(d.MeanCadenceDays)
	w.key("first_balance_gap")
	w.floatOrNull(d.FirstBalanceGap)
	w.key("latest_balance_gap")
	w.floatOrNull(d.LatestBalanceGap)
	w.key("commitments")
	t := &d.Commitments
	w.open('{')
	w.key("total")
	w.int(t.Total)
	w.key("done")
	w.int(t.Done)
	w.key("dropped")
	w.int(t.Dropped)
	w.key("open")
	w.int(t.Open)
	w.key("kept_rate")
	w.floatOrNull(t.KeptRate)
	w.close('}')
	w.key("mean_days_to_done")
	w.floatOrNull(d.MeanDaysToDone)
	w.key("changes")
	array(w, d.Changes, w.areaChange)
	w.close('}')
}

func (w *jsonWriter) areaChange(c *AreaChange) {
	w.open('{')
	w.key("area")
	w.string(c.Area)
	w.key("first_rating")
	w.intOrNull(c.FirstRating)
	w.key("latest_rating")
	w.intOrNull(c.LatestRating)
	w.key("change")
	w.intOrNull(c.Change)
	w.key("first_time_gap")
	w.intOrNull(c.FirstTimeGap)
	w.key("latest_time_gap")
	w.intOrNull(c.LatestTimeGap)
	w.close('}')
}
