package chart

import (
	"bytes"
	"encoding/json"
	"html/template"
	"math"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// The per-session charts (arc, time split) of every session drawn on the
// same areas have the same option but for their texts and values. Building
// an option with go-echarts costs tens of microseconds (its reflective
// defaults and encoding/json), so the option is built once per shape with
// go-echarts, with numbered placeholder strings ("holes") where the texts
// and values go, cut at the holes, and cached; each chart then only
// concatenates the pieces with its own JSON values. The result is byte for
// byte what building the option directly gives. This is a fast path
// (docs/benchmarks.md, "Fast paths"); template_test.go checks it against
// the direct build (TestOptionTemplatesMatchDirectBuild and the others,
// FuzzOptionTemplate).

// hole is the placeholder for value i. It is a JSON string in the built
// option; no fixed text of a chart contains "@@hole:".
func hole(i int) string { return "@@hole:" + strconv.Itoa(i) + "@@" }

// optionTemplate is an option cut at its holes: parts[k] comes before the
// value holes[k], and the last part after the last hole.
type optionTemplate struct {
	parts []string
	holes []int
}

// cutOption cuts a built option at its quoted holes.
func cutOption(js template.JS) *optionTemplate {
	s := string(js)
	t := &optionTemplate{}
	const open = `"@@hole:`
	for {
		i := strings.Index(s, open)
		if i < 0 {
			break
		}
		end := strings.Index(s[i+len(open):], `@@"`)
		n, err := strconv.Atoi(s[i+len(open) : i+len(open)+end])
		if end < 0 || err != nil {
			panic("chart: malformed hole in option template")
		}
		t.parts = append(t.parts, s[:i])
		t.holes = append(t.holes, n)
		s = s[i+len(open)+end+len(`@@"`):]
	}
	t.parts = append(t.parts, s)
	return t
}

// fill returns the option with vals[i], raw JSON, in place of hole i.
func (t *optionTemplate) fill(vals []string) template.JS {
	return template.JS(render(func(b *bytes.Buffer) { t.write(b, vals) }))
}

// write writes the option with vals[i], raw JSON, in place of hole i.
func (t *optionTemplate) write(b *bytes.Buffer, vals []string) {
	t.writeWith(b, func(b *bytes.Buffer, i int) { b.WriteString(vals[i]) })
}

// writeWith writes the option, calling value to write the raw JSON of
// hole i in its place.
func (t *optionTemplate) writeWith(b *bytes.Buffer, value func(b *bytes.Buffer, i int)) {
	for k, p := range t.parts {
		b.WriteString(p)
		if k < len(t.holes) {
			value(b, t.holes[k])
		}
	}
}

// templates caches option templates by shape. Shapes are few (one per set
// of areas and scale); the cap only guards against a pathological site.
var (
	templates     sync.Map // string -> *optionTemplate
	templateCount atomic.Int32
)

const maxTemplates = 4096

// cachedOption returns the template of the shape key, building it with
// build (which returns an option with holes) the first time.
func cachedOption(key string, build func() template.JS) *optionTemplate {
	if t, ok := templates.Load(key); ok {
		return t.(*optionTemplate)
	}
	t := cutOption(build())
	if templateCount.Load() < maxTemplates {
		if _, loaded := templates.LoadOrStore(key, t); !loaded {
			templateCount.Add(1)
		}
	}
	return t
}

// jsonString returns s as a JSON string with <, > and & escaped, as
// encoding/json writes it. Plain ASCII text, which needs no escaping, is
// only quoted.
func jsonString(s string) string {
	if !plainJSON(s) {
		b, _ := json.Marshal(s) // a string always marshals
		return string(b)
	}
	return `"` + s + `"`
}

// writeJSONString writes what jsonString returns.
func writeJSONString(b *bytes.Buffer, s string) {
	if !plainJSON(s) {
		j, _ := json.Marshal(s) // a string always marshals
		b.Write(j)
		return
	}
	b.WriteByte('"')
	b.WriteString(s)
	b.WriteByte('"')
}

// plainJSON reports whether s is printable ASCII that encoding/json writes
// as it is, between quotes.
func plainJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return true
}

// writeJSONNum writes f as encoding/json writes a float64: in plain
// decimal, as every value of a chart is (percentages, ratings, counts).
// Whole numbers, most of them, are written as integers: the same digits,
// quicker. Only tiny or huge values, written with an exponent, take
// encoding/json.
func writeJSONNum(b *bytes.Buffer, f float64) {
	if f == math.Trunc(f) && f != 0 && math.Abs(f) < 1<<53 { // 0 may be -0
		b.Write(strconv.AppendInt(b.AvailableBuffer(), int64(f), 10))
		return
	}
	if a := math.Abs(f); a == 0 || 1e-6 <= a && a < 1e21 {
		b.Write(strconv.AppendFloat(b.AvailableBuffer(), f, 'f', -1, 64))
		return
	}
	j, err := json.Marshal(f)
	if err != nil {
		// Only NaN or Inf could fail here, and no chart puts one in.
		panic("chart: marshal option: " + err.Error())
	}
	b.Write(j)
}
