package load

import (
	"fmt"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/coachsite/coachsite/generator/model"
)

// The structured fields of front matter and site.yaml. Each reads its own
// YAML node, keeps the line of every part, and records what is wrong with
// it that can be told without knowing the client's areas or the scale;
// the rest is checked once those are known.

var (
	areaKeyRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)
	colorRE   = regexp.MustCompile(`^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$`)
)

// areaItem is one area as written: a bare key or a mapping.
type areaItem struct {
	model.Area
	Line int
}

// yamlAreas is a list of areas, each a key or {key, label, description, color}.
type yamlAreas struct {
	at
	Items []areaItem
}

var areaFields = []string{"key", "label", "description", "color"}

func (a *yamlAreas) UnmarshalYAML(n *yaml.Node) error {
	var buf [8]entry
	n, ok := a.expect(n, yaml.SequenceNode, "a list of area keys like [vision, service]")
	if !ok {
		return nil
	}
	seen := map[string]int{}
	for i, c := range n.Content {
		sub := fmt.Sprintf("[%d]", i+1)
		line := c.Line
		c = resolve(c)
		var item areaItem
		item.Line = line
		switch c.Kind {
		case yaml.ScalarNode:
			item.Key = strings.TrimSpace(c.Value)
		case yaml.MappingNode:
			keySet := false
			for _, e := range entries(&a.at, c, sub, buf[:]) {
				v := e.value
				if v.Kind != yaml.ScalarNode {
					a.fail(e.valueLine, sub+"."+e.key, "must be text, not %s", describe(v))
					continue
				}
				val := strings.TrimSpace(v.Value)
				switch e.key {
				case "key":
					item.Key, keySet = val, true
				case "label":
					item.Label = val
				case "description":
					item.Description = val
				case "color":
					if !colorRE.MatchString(val) {
						a.fail(e.valueLine, sub+".color", "%q is not a colour like #0072b2", val)
						continue
					}
					item.Color = strings.ToLower(val)
				default:
					a.fail(e.keyLine, sub+"."+e.key, "unknown field%s", suggest(e.key, areaFields))
				}
			}
			if !keySet {
				a.fail(line, sub, "an area needs a key, like {key: vision, label: Vision}")
				continue
			}
		default:
			a.fail(line, sub, "must be an area key or {key, label, description, color}, not %s", describe(c))
			continue
		}
		if !areaKeyRE.MatchString(item.Key) {
			a.fail(line, sub, "%q is not an area key: use lower-case letters a-z, digits, - and _", item.Key)
			continue
		}
		if first, dup := seen[item.Key]; dup {
			a.failRef(line, first, sub, fmt.Sprintf("area %q is listed twice (first on line %%d)", item.Key))
			continue
		}
		seen[item.Key] = line
		a.Items = appendSized(a.Items, len(n.Content), item)
	}
	return nil
}

// yamlScale is the rating scale, {min: 1, max: 9}.
type yamlScale struct {
	at
	model.Scale
}

func (s *yamlScale) UnmarshalYAML(n *yaml.Node) error {
	var buf [8]entry
	s.Scale = model.Scale{Min: 1, Max: 9}
	n, ok := s.expect(n, yaml.MappingNode, "{min: 1, max: 9}")
	if !ok {
		return nil
	}
	bad := false
	for _, e := range entries(&s.at, n, "", buf[:]) {
		v, msg := intValue(e.value)
		switch {
		case e.key != "min" && e.key != "max":
			s.fail(e.keyLine, "."+e.key, "unknown field%s", suggest(e.key, []string{"min", "max"}))
			continue
		case msg != "":
			s.fail(e.valueLine, "."+e.key, "%s", msg)
			bad = true
			continue
		case e.key == "min":
			s.Min = v
		default:
			s.Max = v
		}
	}
	switch {
	case bad:
	case s.Min < 0:
		s.fail(n.Line, "", "min is %d; it cannot be below 0", s.Min)
	case s.Max > 100:
		s.fail(n.Line, "", "max is %d; it cannot be above 100", s.Max)
	case s.Min >= s.Max:
		s.fail(n.Line, "", "min (%d) must be below max (%d)", s.Min, s.Max)
	}
	return nil
}

// rating is one area: rating pair.
type rating struct {
	Key   string
	Line  int
	Value int
	OK    bool // Value is a whole number
}

// yamlRatings is a mapping of area keys to ratings.
type yamlRatings struct {
	at
	Items []rating
}

func (r *yamlRatings) UnmarshalYAML(n *yaml.Node) error {
	var buf [8]entry
	n, ok := r.expect(n, yaml.MappingNode, "a mapping like {vision: 4, service: 7}")
	if !ok {
		return nil
	}
	for _, e := range entries(&r.at, n, "", buf[:]) {
		v, msg := intValue(e.value)
		if msg != "" {
			r.fail(e.valueLine, "."+e.key, "%s", msg)
		}
		r.Items = appendSized(r.Items, len(n.Content)/2, rating{Key: e.key, Line: e.keyLine, Value: v, OK: msg == ""})
	}
	return nil
}

// share is one area's time split.
type share struct {
	Key            string
	Line           int
	Actual, Wished int
	OK             bool // both given and within 0..100
}

// yamlTime is a mapping of area keys to {actual, wished} percentages.
type yamlTime struct {
	at
	Items []share
}

func (t *yamlTime) UnmarshalYAML(n *yaml.Node) error {
	var buf, inner [8]entry
	n, ok := t.expect(n, yaml.MappingNode, "a mapping like {vision: {actual: 20, wished: 30}}")
	if !ok {
		return nil
	}
	allOK := true
	for _, e := range entries(&t.at, n, "", buf[:]) {
		sh := share{Key: e.key, Line: e.keyLine, OK: true}
		sub := "." + e.key
		if e.value.Kind != yaml.MappingNode {
			t.fail(e.valueLine, sub, "must be {actual: N, wished: N}, not %s", describe(e.value))
			allOK = false
			continue
		}
		var gotActual, gotWished bool
		for _, f := range entries(&t.at, e.value, sub, inner[:]) {
			if f.key != "actual" && f.key != "wished" {
				t.fail(f.keyLine, sub+"."+f.key, "unknown field%s", suggest(f.key, []string{"actual", "wished"}))
				continue
			}
			v, msg := intValue(f.value)
			switch {
			case msg != "":
				t.fail(f.valueLine, sub+"."+f.key, "%s", msg)
				sh.OK = false
			case v < 0 || v > 100:
				t.fail(f.valueLine, sub+"."+f.key, "%d is not a percentage (0 to 100)", v)
				sh.OK = false
			}
			if f.key == "actual" {
				sh.Actual, gotActual = v, true
			} else {
				sh.Wished, gotWished = v, true
			}
		}
		for _, miss := range []struct {
			name string
			got  bool
		}{{"actual", gotActual}, {"wished", gotWished}} {
			if !miss.got {
				t.fail(e.keyLine, sub, "%s is missing; give both actual and wished", miss.name)
				sh.OK = false
			}
		}
		allOK = allOK && sh.OK
		t.Items = appendSized(t.Items, len(n.Content)/2, sh)
	}
	if allOK && len(t.Items) > 0 {
		var actual, wished int
		for _, sh := range t.Items {
			actual += sh.Actual
			wished += sh.Wished
		}
		if actual != 100 {
			t.fail(n.Line, "", "actual shares sum to %d, not 100", actual)
		}
		if wished != 100 {
			t.fail(n.Line, "", "wished shares sum to %d, not 100", wished)
		}
	}
	return nil
}

// commitmentItem is one commitment as written, with the lines the ledger
// rules (ledger.go) report on.
type commitmentItem struct {
	model.Commitment
	Line    int  // YAML line of the list item
	IDLine  int  // YAML line of its id; 0 without one
	TextSet bool // text was given; without an id it always is
	DueSet  bool // due was given (a null due counts as given: no due date)
}

// yamlCommitments is a list of commitments, each {id, text, due, status} or
// a bare text.
type yamlCommitments struct {
	at
	Items []commitmentItem
}

var commitmentFields = []string{"id", "text", "due", "status"}

var statuses = []string{model.StatusOpen, model.StatusDone, model.StatusDropped}

func (c *yamlCommitments) UnmarshalYAML(n *yaml.Node) error {
	var buf [8]entry
	n, ok := c.expect(n, yaml.SequenceNode, "a list of {text, due, status}")
	if !ok {
		return nil
	}
	for i, item := range n.Content {
		sub := fmt.Sprintf("[%d]", i+1)
		line := item.Line
		item = resolve(item)
		cm := commitmentItem{Commitment: model.Commitment{Status: model.StatusOpen}, Line: line}
		switch item.Kind {
		case yaml.ScalarNode:
			if !isNull(item) {
				cm.Text, cm.TextSet = strings.TrimSpace(item.Value), true
			}
		case yaml.MappingNode:
			for _, e := range entries(&c.at, item, sub, buf[:]) {
				v := e.value
				switch e.key {
				case "id":
					if isNull(v) {
						continue
					}
					id := strings.TrimSpace(v.Value)
					if v.Kind != yaml.ScalarNode || !idRE.MatchString(id) {
						c.fail(e.valueLine, sub+".id", "%s is not a commitment id: copy the id, like k3fq, from the session that carried it", describe(v))
						continue
					}
					cm.ID, cm.IDLine = id, e.valueLine
				case "text":
					if v.Kind != yaml.ScalarNode {
						c.fail(e.valueLine, sub+".text", "must be text, not %s", describe(v))
					} else if !isNull(v) {
						cm.Text, cm.TextSet = strings.TrimSpace(v.Value), true
					}
				case "due":
					cm.DueSet = true
					if isNull(v) {
						continue
					}
					d, msg := dateValue(v)
					if msg != "" {
						c.fail(e.valueLine, sub+".due", "%s", msg)
					}
					cm.Due = d
				case "status":
					s := strings.TrimSpace(v.Value)
					if v.Kind != yaml.ScalarNode || !contains(statuses, s) {
						c.fail(e.valueLine, sub+".status", "%s is not one of %s%s",
							describe(v), strings.Join(statuses, ", "), didYouMean(s, statuses))
						continue
					}
					cm.Status = s
				default:
					c.fail(e.keyLine, sub+"."+e.key, "unknown field%s", suggest(e.key, commitmentFields))
				}
			}
		default:
			c.fail(line, sub, "must be {text, due, status}, not %s", describe(item))
			continue
		}
		if cm.Text == "" && (cm.ID == "" || cm.TextSet) {
			c.fail(line, sub, "a commitment needs text, like {text: Call Sam, due: 2026-01-20}")
			continue
		}
		c.Items = appendSized(c.Items, len(n.Content), cm)
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// didYouMean returns ` (did you mean "x"?)` when s is a likely typo of one
// of names, else "".
func didYouMean(s string, names []string) string {
	if n := nearest(s, names); n != "" && n != s {
		return fmt.Sprintf(" (did you mean %q?)", n)
	}
	return ""
}
