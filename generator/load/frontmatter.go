package load

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/coachsite/coachsite/generator/diag"
	"github.com/coachsite/coachsite/generator/model"
)

// splitFrontMatter splits src (BOM already stripped, line ends already \n)
// into its leading front matter block and the body. The block opens with a
// first line reading --- and closes at the next line reading --- or ...
// (trailing spaces allowed). fm holds the lines between, which start at file
// line 2; body starts at file line bodyLine. ok is false when src does not
// open a block; closed is false when the block is never closed.
func splitFrontMatter(src []byte) (fm, body []byte, bodyLine int, ok, closed bool) {
	first, rest, _ := bytes.Cut(src, []byte{'\n'})
	if !isFence(first, "---") {
		return nil, src, 1, false, false
	}
	start := len(first) + 1
	if start > len(src) {
		return nil, nil, 2, true, false
	}
	line := 2
	off := start
	for len(rest) > 0 {
		l, after, found := bytes.Cut(rest, []byte{'\n'})
		if isFence(l, "---") || isFence(l, "...") {
			end := off + len(l)
			if found {
				end++
			}
			return src[start:off], src[end:], line + 1, true, true
		}
		off += len(l) + 1
		line++
		rest = after
		if !found {
			break
		}
	}
	return src[start:], nil, line, true, false
}

func isFence(line []byte, fence string) bool {
	return bytes.Equal(bytes.TrimRight(line, " \t"), []byte(fence))
}

// problem is one mistake found while reading a field: the YAML line it is
// on, the path below the field ("" for the field itself, ".vision",
// "[2].status") and the message.
type problem struct {
	line int
	sub  string
	msg  string
	ref  int // a YAML line msg refers to with its one %d; 0 for none
}

// at is embedded in every field type: where the field's value is and what
// was wrong with it.
type at struct {
	Line     int  // YAML line of the value; 0 when absent
	Set      bool // the field was given (and not null)
	problems []problem
}

func (a *at) begin(n *yaml.Node) {
	a.Line = n.Line
	a.Set = true
}

// expect notes where the value n starts and resolves it; when it is not of
// kind it records "must be want, not ..." and reports false.
func (a *at) expect(n *yaml.Node, kind yaml.Kind, want string) (*yaml.Node, bool) {
	a.begin(n)
	n = resolve(n)
	if n.Kind != kind {
		a.fail(n.Line, "", "must be %s, not %s", want, describe(n))
		return n, false
	}
	return n, true
}

func (a *at) fail(line int, sub, format string, args ...any) {
	a.problems = append(a.problems, problem{line, sub, fmt.Sprintf(format, args...), 0})
}

// failRef records a problem whose message refers, with its one %d, to
// YAML line ref, shifted to a file line when reported.
func (a *at) failRef(line, ref int, sub, msg string) {
	a.problems = append(a.problems, problem{line, sub, msg, ref})
}

func (a *at) issues() []problem { return a.problems }

type hasIssues interface{ issues() []problem }

// resolve follows an alias to the node it names. Aliases to aliases are
// resolved by the YAML parser already; the depth bound is belt and braces.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 8; i++ {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// describe shows a YAML value in a message: a scalar as written (quoted
// when it is text), a list or mapping by its kind.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	v := n.Value
	if len(v) > 40 {
		v = v[:37] + "..."
	}
	switch n.ShortTag() {
	case "!!int", "!!float", "!!bool":
		return v
	}
	return strconv.Quote(v)
}

// yamlString is a text field.
type yamlString struct {
	at
	Value string
}

func (s *yamlString) UnmarshalYAML(n *yaml.Node) error {
	n, ok := s.expect(n, yaml.ScalarNode, "text")
	if !ok {
		return nil
	}
	s.Value = strings.TrimSpace(n.Value)
	return nil
}

// yamlInt is a whole-number field.
type yamlInt struct {
	at
	Value int
}

func (i *yamlInt) UnmarshalYAML(n *yaml.Node) error {
	i.begin(n)
	v, msg := intValue(n)
	if msg != "" {
		i.fail(n.Line, "", "%s", msg)
	}
	i.Value = v
	return nil
}

// intValue reads n as a whole number, or says why it is not one.
func intValue(n *yaml.Node) (int, string) {
	n = resolve(n)
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!int" {
		v, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 32)
		if err == nil {
			return int(v), ""
		}
		return 0, fmt.Sprintf("%s is too large", n.Value)
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!float" {
		if f, err := strconv.ParseFloat(n.Value, 64); err == nil && f == float64(int(f)) && f > -1e9 && f < 1e9 {
			return int(f), ""
		}
	}
	return 0, fmt.Sprintf("%s is not a whole number", describe(n))
}

// yamlBool is a true/false field.
type yamlBool struct {
	at
	Value bool
}

func (b *yamlBool) UnmarshalYAML(n *yaml.Node) error {
	b.begin(n)
	n = resolve(n)
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
		b.fail(n.Line, "", "%s is not true or false", describe(n))
		return nil
	}
	b.Value = n.Value == "true" || n.Value == "True" || n.Value == "TRUE"
	return nil
}

// yamlDate is a calendar day written 2026-01-14, plain or quoted.
type yamlDate struct {
	at
	Value model.Date
}

func (d *yamlDate) UnmarshalYAML(n *yaml.Node) error {
	d.begin(n)
	v, msg := dateValue(n)
	if msg != "" {
		d.fail(n.Line, "", "%s", msg)
	}
	d.Value = v
	return nil
}

var dateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// dateValue reads n as a date, or says why it is not one.
func dateValue(n *yaml.Node) (model.Date, string) {
	n = resolve(n)
	if n.Kind != yaml.ScalarNode {
		return model.Date{}, fmt.Sprintf("%s is not a date like 2026-01-14", describe(n))
	}
	return parseDate(n.Value)
}

func parseDate(s string) (model.Date, string) {
	s = strings.TrimSpace(s)
	if !dateRE.MatchString(s) {
		return model.Date{}, fmt.Sprintf("%q is not a date like 2026-01-14", s)
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return model.Date{}, fmt.Sprintf("%s is not a real date", s)
	}
	return model.Date{Time: t}, ""
}

// yamlStrings is a list of short texts.
type yamlStrings struct {
	at
	Values []string
}

func (s *yamlStrings) UnmarshalYAML(n *yaml.Node) error {
	n, ok := s.expect(n, yaml.SequenceNode, "a list like [a, b]")
	if !ok {
		return nil
	}
	for i, c := range n.Content {
		line := c.Line
		c = resolve(c)
		if c.Kind != yaml.ScalarNode || isNull(c) {
			s.fail(line, fmt.Sprintf("[%d]", i+1), "must be text, not %s", describeOrEmpty(c))
			continue
		}
		if v := strings.TrimSpace(c.Value); v != "" {
			s.Values = appendSized(s.Values, len(n.Content), v)
		}
	}
	return nil
}

// appendSized appends v to s, a list of at most size values: the first
// append makes room for all, so s is allocated once and stays nil when
// nothing is appended.
func appendSized[T any](s []T, size int, v T) []T {
	if s == nil {
		s = make([]T, 0, size)
	}
	return append(s, v)
}

func describeOrEmpty(n *yaml.Node) string {
	if isNull(n) {
		return "empty"
	}
	return describe(n)
}

// entry is one key: value pair of a YAML mapping.
type entry struct {
	key       string
	keyLine   int
	value     *yaml.Node
	valueLine int
}

// entries returns the pairs of mapping n, appended to buf[:0], reporting
// keys that are not plain text and keys given twice to a under sub. Callers
// pass an array on their stack, which saves allocating for small mappings.
func entries(a *at, n *yaml.Node, sub string, buf []entry) []entry {
	out := buf[:0]
	seen := make(map[string]int, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), n.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.Tag == "!!merge" {
			a.fail(k.Line, sub, "%s cannot be a key here", describe(k))
			continue
		}
		if first, dup := seen[k.Value]; dup {
			a.failRef(k.Line, first, sub+"."+k.Value, "given twice (first on line %d)")
			continue
		}
		seen[k.Value] = k.Line
		out = append(out, entry{key: k.Value, keyLine: k.Line, value: resolve(v), valueLine: v.Line})
	}
	return out
}

// collectProblems gathers the problems of every field of the struct v
// points to, each named by its yaml tag, as diagnostics of path whose YAML
// line 1 is file line first.
func collectProblems(v any, path string, first int) diag.List {
	var out diag.List
	rv := reflect.ValueOf(v).Elem()
	rt := rv.Type()
	for i := 0; i < rt.NumField(); i++ {
		name, _, _ := strings.Cut(rt.Field(i).Tag.Get("yaml"), ",")
		f, ok := rv.Field(i).Addr().Interface().(hasIssues)
		if !ok || name == "" {
			continue
		}
		for _, p := range f.issues() {
			msg := p.msg
			if p.ref > 0 {
				msg = fmt.Sprintf(msg, p.ref+first-1)
			}
			out = append(out, diag.Errorf(path, p.line+first-1, "%s%s: %s", name, p.sub, msg))
		}
	}
	return out
}

// knownFields returns the yaml names of the fields of the struct type of v.
func knownFields(v any) []string {
	rt := reflect.TypeOf(v).Elem()
	var names []string
	for i := 0; i < rt.NumField(); i++ {
		if name, _, _ := strings.Cut(rt.Field(i).Tag.Get("yaml"), ","); name != "" {
			names = append(names, name)
		}
	}
	return names
}

var (
	yamlLineRE  = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
	unknownRE   = regexp.MustCompile(`^field (.+) not found in type `)
	duplicateRE = regexp.MustCompile(`^mapping key "(.*)" already defined at line (\d+)$`)
	alreadyRE   = regexp.MustCompile(`^field (.+) already set in type `)
)

// decodeYAML decodes the YAML text src strictly into v, a pointer to a
// struct of the field types above, whose yaml line 1 is file line first. It
// reports unknown fields (with the nearest known one), duplicate keys,
// malformed YAML and every field's own problems. ok is false when the
// mapping could not be read at all, so its required fields should not be
// reported missing. v must point to a zero value.
func decodeYAML(src []byte, v any, path string, first int) (errs diag.List, ok bool) {
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	err := decodeSafely(dec, v)
	ok = true
	var te *yaml.TypeError
	switch {
	case err == nil || errors.Is(err, io.EOF):
	case errors.As(err, &te):
		for _, e := range te.Errors {
			d, whole := translateTypeError(e, v, path, first)
			errs = append(errs, d)
			ok = ok && !whole
		}
	default:
		errs = append(errs, syntaxError(err, path, first))
		return clampLines(errs, first, src), false
	}
	return clampLines(append(errs, collectProblems(v, path, first)...), first, src), ok
}

// clampLines keeps every error on a line of the front matter. YAML also
// breaks lines at U+0085, U+2028 and U+2029, which the file's line count
// does not, so a line yaml.v3 names can lie past the end of src.
func clampLines(errs diag.List, first int, src []byte) diag.List {
	last := first + bytes.Count(src, []byte{'\n'})
	for i := range errs {
		errs[i].Line = min(errs[i].Line, last)
	}
	return errs
}

// decodeSafely runs dec.Decode, turning a panic in the YAML library (none
// known, but it parses untrusted text) into an error.
func decodeSafely(dec *yaml.Decoder, v any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: %v", r)
		}
	}()
	return dec.Decode(v)
}

// translateTypeError turns one message of a yaml.TypeError into a
// diagnostic. whole says the message is about the mapping as a whole.
func translateTypeError(e string, v any, path string, first int) (d diag.Error, whole bool) {
	m := yamlLineRE.FindStringSubmatch(e)
	if m == nil {
		return diag.Errorf(path, first, "front matter: %s", e), true
	}
	line, _ := strconv.Atoi(m[1])
	line += first - 1
	msg := m[2]
	if u := unknownRE.FindStringSubmatch(msg); u != nil {
		return diag.Errorf(path, line, "%s: unknown field%s", u[1], suggest(u[1], knownFields(v))), false
	}
	if u := duplicateRE.FindStringSubmatch(msg); u != nil {
		l, _ := strconv.Atoi(u[2])
		return diag.Errorf(path, line, "%s: given twice (first on line %d)", u[1], l+first-1), true
	}
	if u := alreadyRE.FindStringSubmatch(msg); u != nil {
		return diag.Errorf(path, line, "%s: given twice", u[1]), false
	}
	if strings.HasPrefix(msg, "cannot unmarshal") && strings.Contains(msg, " into load.") {
		return diag.Errorf(path, line, "front matter must be fields like \"title: ...\", one per line"), true
	}
	return diag.Errorf(path, line, "%s", msg), true
}

// syntaxError turns an error of the YAML parser into a diagnostic on the
// file line it names.
func syntaxError(err error, path string, first int) diag.Error {
	msg := err.Error()
	line := first
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		l, _ := strconv.Atoi(m[1])
		line, msg = l+first-1, m[2]
		if isParserError(msg) {
			// yaml.v3 reports the 0-based line of the collection a parser
			// (not scanner) error is in; make it the 1-based line.
			line++
		}
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	return diag.Errorf(path, line, "malformed YAML: %s", msg)
}

func isParserError(msg string) bool {
	return strings.HasPrefix(msg, "did not find expected") || strings.HasPrefix(msg, "found duplicate %") ||
		msg == "found incompatible YAML document" || msg == "found undefined tag handle"
}

// suggest returns ` (did you mean "x"?)` for the known name nearest to
// name, or a list of the known names when none is near.
func suggest(name string, known []string) string {
	if n := nearest(name, known); n != "" {
		return fmt.Sprintf(" (did you mean %q?)", n)
	}
	sorted := append([]string(nil), known...)
	sort.Strings(sorted)
	return "; known fields: " + strings.Join(sorted, ", ")
}

// nearest returns the name in names nearest to name when it is close
// enough to be a likely typo, or "".
func nearest(name string, names []string) string {
	best, bestD := "", 1<<30
	for _, k := range names {
		if d := distance(strings.ToLower(name), strings.ToLower(k)); d < bestD {
			best, bestD = k, d
		}
	}
	limit := 2
	if len(name) <= 4 {
		limit = 1
	}
	if bestD <= limit {
		return best
	}
	return ""
}

// distance is the Levenshtein distance between a and b, counting an
// adjacent transposition as one edit.
func distance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		if a == b {
			return 0
		}
		return 1 << 20
	}
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
