package load

import (
	"strings"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// fastNode parses the YAML text src into the yaml.Node tree yaml.v3 builds
// for it (var n yaml.Node; yaml.Unmarshal(src, &n)), field for field, when
// src keeps to the small part of YAML front matter is written in; ok is
// false at the first thing outside it, and the caller then asks yaml.v3,
// which spends most of a session's load time on building that same tree.
//
// The subset, line by line:
//
//   - a block mapping at column 1 of keys [a-z_]+, each followed by ":"
//     and either a value on the same line or, on the lines after, a block
//     mapping or a block sequence indented further;
//   - block sequence items "- value" or "- key: value" opening a block
//     mapping indented two columns past the dash;
//   - values on one line: plain scalars; quoted strings without escapes
//     (no backslash in double quotes, no doubled quote in single quotes);
//     flow mappings {key: value, ...} and sequences [a, b] of those,
//     nested up to maxFlowDepth;
//   - empty lines anywhere.
//
// Everything else bails out, mostly because yaml.v3 would give it a
// meaning the parser would have to copy with care: comments (they become
// node fields), anchors, aliases, tags, escapes, block scalars, scalars or
// flow collections over several lines, empty values (null), tabs, spaces
// at a line's end, duplicate keys, a sequence indented like its key, ---,
// ... and directives. Plain scalars must start with a letter, a digit or a
// non-ASCII character and may not contain ":" or "#", so they cannot be
// keys, comments or indicators; their type must be one fastTag settles for
// sure. Non-ASCII characters are allowed where yaml.v3 reads them as
// ordinary characters; columns count characters, as yaml.v3's do.
func fastNode(src []byte) (*yaml.Node, bool) {
	size, ok := fastText(src)
	if !ok {
		return nil, false
	}
	p := fastParser{
		rest:  string(src),
		nodes: make([]yaml.Node, size),
		ptrs:  make([]*yaml.Node, size),
		stack: make([]*yaml.Node, 0, 32),
	}
	if !p.nextLine() || p.indent() != 0 {
		return nil, false
	}
	m, ok := p.blockMapping(0)
	if !ok || !p.eof {
		return nil, false
	}
	doc := p.node(yaml.DocumentNode, "", "", m.Line, m.Column)
	p.stack = append(p.stack, m)
	p.collect(doc, 0)
	return doc, true
}

// maxFlowDepth bounds the nesting of flow collections, and so the
// recursion; front matter needs two.
const maxFlowDepth = 8

// maxKey is the longest key; yaml.v3 refuses keys over 1024 characters.
const maxKey = 64

// fastText reports whether every character of src is one fastNode may
// meet: printable ASCII but \ (escapes), tabs and other control characters
// but \n, and the non-ASCII characters yaml.v3 takes as printable and not
// as a line break or a byte order mark. No line may end with a space.
//
// It also estimates the number of nodes, to allocate them at once: two a
// colon (key and value), the document and its mapping, and one item of a
// list for each [, comma and dash before a space. Commas in flow mappings
// and text make it a little high.
func fastText(src []byte) (nodes int, ok bool) {
	nodes = 2
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '\n':
			if i > 0 && src[i-1] == ' ' {
				return 0, false
			}
			i++
		case c >= 0x20 && c < 0x7f && c != '\\':
			switch {
			case c == ':':
				nodes += 2
			case c == ',' || c == '[' || c == '-' && i+1 < len(src) && src[i+1] == ' ':
				nodes++
			}
			i++
		case c < 0x80:
			return 0, false
		default:
			r, size := utf8.DecodeRune(src[i:])
			if r == utf8.RuneError || r < 0xa0 || r > 0xfffd || r >= 0xd800 && r < 0xe000 ||
				r == 0x2028 || r == 0x2029 || r == 0xfeff {
				return 0, false
			}
			i += size
		}
	}
	return min(nodes, maxChunk), len(src) == 0 || src[len(src)-1] != ' '
}

// fastParser reads src a line at a time.
type fastParser struct {
	line string // the current line, without its \n
	num  int    // its number, from 1
	rest string // the text after it
	eof  bool   // there is no current line

	// The tree is allocated a chunk at a time: nodes and room for Content
	// not used yet, and the items of the collections being read.
	nodes []yaml.Node
	ptrs  []*yaml.Node
	stack []*yaml.Node
}

// The first chunk of nodes is as large as fastText estimates, but not
// larger than maxChunk; the next ones, if needed, are of moreChunk.
const (
	maxChunk  = 1024
	moreChunk = 16
)

// nextLine moves to the next line that is not empty. It returns false at
// the end of the text.
func (p *fastParser) nextLine() bool {
	for p.rest != "" {
		var found bool
		p.line, p.rest, found = strings.Cut(p.rest, "\n")
		p.num++
		if p.line != "" {
			return true
		}
		if !found {
			break
		}
	}
	p.line, p.eof = "", true
	return false
}

// indent returns the number of spaces the current line starts with.
func (p *fastParser) indent() int {
	i := 0
	for i < len(p.line) && p.line[i] == ' ' {
		i++
	}
	return i
}

// column returns the 1-based column of byte offset i of the current line,
// counted in characters.
func (p *fastParser) column(i int) int {
	return utf8.RuneCountInString(p.line[:i]) + 1
}

func (p *fastParser) node(kind yaml.Kind, tag, value string, line, column int) *yaml.Node {
	if len(p.nodes) == 0 {
		p.nodes = make([]yaml.Node, moreChunk)
	}
	n := &p.nodes[0] // zero, so setting the fields given is enough
	p.nodes = p.nodes[1:]
	n.Kind, n.Tag, n.Value, n.Line, n.Column = kind, tag, value, line, column
	return n
}

// pushKey adds key to the mapping whose items were pushed from mark on,
// unless the mapping has it already.
func (p *fastParser) pushKey(mark int, key *yaml.Node) bool {
	for i := mark; i < len(p.stack); i += 2 {
		if p.stack[i].Value == key.Value {
			return false
		}
	}
	p.stack = append(p.stack, key)
	return true
}

// collect makes the items pushed from mark on the Content of n, which
// yaml.v3 leaves nil for an empty collection.
func (p *fastParser) collect(n *yaml.Node, mark int) {
	items := p.stack[mark:]
	if len(items) == 0 {
		return
	}
	if len(items) > len(p.ptrs) {
		p.ptrs = make([]*yaml.Node, max(len(items), moreChunk))
	}
	n.Content = p.ptrs[:len(items):len(items)]
	p.ptrs = p.ptrs[len(items):]
	copy(n.Content, items)
	p.stack = p.stack[:mark]
}

// afterIndent checks where the current line goes once a collection at
// indent n has read an entry: on (true, true) at the same indent, back to
// an outer collection on (false, true).
func (p *fastParser) afterIndent(n int) (same, ok bool) {
	if p.eof {
		return false, true
	}
	in := p.indent()
	return in == n, in <= n
}

// blockMapping reads a block mapping whose first key starts at byte n of
// the current line; its other keys start their lines after n spaces.
func (p *fastParser) blockMapping(n int) (*yaml.Node, bool) {
	m := p.node(yaml.MappingNode, "!!map", "", p.num, p.column(n))
	mark := len(p.stack)
	for {
		key, i, ok := p.key(n)
		if !ok || i < len(p.line) && p.line[i] != ' ' || !p.pushKey(mark, key) {
			return nil, false
		}
		var value *yaml.Node
		if i == len(p.line) {
			// The value is a block collection on the lines below.
			if !p.nextLine() {
				return nil, false
			}
			in := p.indent()
			switch {
			case in <= n:
				return nil, false // empty (null) or an indentless sequence
			case p.line[in] == '-':
				value, ok = p.blockSequence(in)
			default:
				value, ok = p.blockMapping(in)
			}
		} else {
			value, ok = p.lineValue(skipSpaces(p.line, i))
			p.nextLine()
		}
		if !ok {
			return nil, false
		}
		p.stack = append(p.stack, value)
		same, ok := p.afterIndent(n)
		if !ok {
			return nil, false
		}
		if !same {
			p.collect(m, mark)
			return m, true
		}
	}
}

// blockSequence reads a block sequence whose dashes are at byte n of the
// current line and the lines after it.
func (p *fastParser) blockSequence(n int) (*yaml.Node, bool) {
	s := p.node(yaml.SequenceNode, "!!seq", "", p.num, p.column(n))
	mark := len(p.stack)
	for {
		// One space after the dash, then something that is not a space.
		i := n + 2
		if i >= len(p.line) || p.line[n] != '-' || p.line[n+1] != ' ' || p.line[i] == ' ' {
			return nil, false
		}
		var item *yaml.Node
		var ok bool
		if isKeyAt(p.line, i) {
			item, ok = p.blockMapping(i)
		} else {
			item, ok = p.lineValue(i)
			p.nextLine()
		}
		if !ok {
			return nil, false
		}
		p.stack = append(p.stack, item)
		same, ok := p.afterIndent(n)
		if !ok {
			return nil, false
		}
		if !same {
			p.collect(s, mark)
			return s, true
		}
	}
}

// isKeyAt reports whether line has a key at byte i: [a-z_]+ and a colon
// at the end of the line or before a space.
func isKeyAt(line string, i int) bool {
	j := keyEnd(line, i)
	return j > i && j < len(line) && line[j] == ':' && (j+1 == len(line) || line[j+1] == ' ')
}

// keyEnd returns the end of the run of [a-z_] at byte i of line.
func keyEnd(line string, i int) int {
	for i < len(line) && (line[i] >= 'a' && line[i] <= 'z' || line[i] == '_') {
		i++
	}
	return i
}

// key reads a key and its colon at byte i of the current line, returning
// the byte after the colon.
func (p *fastParser) key(i int) (*yaml.Node, int, bool) {
	j := keyEnd(p.line, i)
	if j == i || j-i > maxKey || j == len(p.line) || p.line[j] != ':' {
		return nil, 0, false
	}
	value := p.line[i:j]
	if tag, ok := fastTag(value); !ok || tag != "!!str" {
		return nil, 0, false
	}
	return p.node(yaml.ScalarNode, "!!str", value, p.num, p.column(i)), j + 1, true
}

// lineValue reads the value at byte i of the current line, which must
// take the rest of the line.
func (p *fastParser) lineValue(i int) (*yaml.Node, bool) {
	n, end, ok := p.value(i, false, 0)
	return n, ok && end == len(p.line)
}

// value reads a scalar or flow collection at byte i of the current line,
// in a flow collection when flow is set, and returns the byte after it.
func (p *fastParser) value(i int, flow bool, depth int) (*yaml.Node, int, bool) {
	if i >= len(p.line) {
		return nil, 0, false
	}
	switch p.line[i] {
	case '{', '[':
		return p.flowCollection(i, depth+1)
	case '"', '\'':
		// Quoted text on one line, without escapes: no \ (see fastText)
		// and no '' in single quotes, whose second quote would end it.
		quote := p.line[i]
		end := strings.IndexByte(p.line[i+1:], quote)
		if end < 0 {
			return nil, 0, false
		}
		end += i + 1
		if quote == '\'' && end+1 < len(p.line) && p.line[end+1] == '\'' {
			return nil, 0, false
		}
		n := p.node(yaml.ScalarNode, "!!str", p.line[i+1:end], p.num, p.column(i))
		n.Style = yaml.DoubleQuotedStyle
		if quote == '\'' {
			n.Style = yaml.SingleQuotedStyle
		}
		return n, end + 1, true
	}
	return p.plain(i, flow)
}

// plain reads a plain scalar at byte i of the current line. Outside flow
// collections it takes the rest of the line; inside, it ends before a
// comma, ] or } and the spaces before them.
func (p *fastParser) plain(i int, flow bool) (*yaml.Node, int, bool) {
	if c := p.line[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80) {
		return nil, 0, false
	}
	end := i
	for j := i; j < len(p.line); j++ {
		c := p.line[j]
		if c == ':' || c == '#' || flow && (c == '[' || c == '{' || c == '?') {
			return nil, 0, false
		}
		if flow && (c == ',' || c == ']' || c == '}') {
			break
		}
		if c != ' ' {
			end = j + 1
		}
	}
	value := p.line[i:end]
	tag, ok := fastTag(value)
	if !ok {
		return nil, 0, false
	}
	return p.node(yaml.ScalarNode, tag, value, p.num, p.column(i)), end, true
}

// flowCollection reads a flow mapping or sequence opening at byte i of
// the current line and closing on it, and returns the byte after it.
func (p *fastParser) flowCollection(i, depth int) (*yaml.Node, int, bool) {
	if depth > maxFlowDepth {
		return nil, 0, false
	}
	n := p.node(yaml.SequenceNode, "!!seq", "", p.num, p.column(i))
	closing := byte(']')
	if p.line[i] == '{' {
		n.Kind, n.Tag, closing = yaml.MappingNode, "!!map", '}'
	}
	n.Style = yaml.FlowStyle
	mark := len(p.stack)
	i = skipSpaces(p.line, i+1)
	if i < len(p.line) && p.line[i] == closing {
		return n, i + 1, true
	}
	for {
		if n.Kind == yaml.MappingNode {
			key, j, ok := p.key(i)
			if !ok || j >= len(p.line) || p.line[j] != ' ' || !p.pushKey(mark, key) {
				return nil, 0, false
			}
			i = skipSpaces(p.line, j)
		}
		item, j, ok := p.value(i, true, depth)
		if !ok {
			return nil, 0, false
		}
		p.stack = append(p.stack, item)
		i = skipSpaces(p.line, j)
		if i >= len(p.line) {
			return nil, 0, false
		}
		switch p.line[i] {
		case closing:
			p.collect(n, mark)
			return n, i + 1, true
		case ',':
			i = skipSpaces(p.line, i+1)
			if i >= len(p.line) || p.line[i] == closing {
				return nil, 0, false // a trailing comma
			}
		default:
			return nil, 0, false
		}
	}
}

func skipSpaces(s string, i int) int {
	for i < len(s) && s[i] == ' ' {
		i++
	}
	return i
}

// fastTag returns the tag yaml.v3 resolves the plain scalar value to,
// when value is one of the few kinds whose resolution is certain: text
// starting with a letter that is not true, false or null in any of their
// spellings (yaml.v3 reads yes, no, on and off as text), text starting
// with a digit and holding a space but not like a timestamp, true and false
// (!!bool), decimal integers without a leading zero that fit in 64 bits
// (!!int) and real dates YYYY-MM-DD (!!timestamp).
func fastTag(value string) (string, bool) {
	c := value[0]
	switch {
	case c >= '0' && c <= '9':
		if isDigits(value) && (c != '0' || len(value) == 1) && len(value) <= 18 {
			return "!!int", true
		}
		if len(value) == 10 && isDigits(value[:4]) && value[4] == '-' && isDigits(value[5:7]) &&
			value[7] == '-' && isDigits(value[8:]) {
			if _, err := time.Parse("2006-01-02", value); err == nil {
				return "!!timestamp", true
			}
		}
		// Text like "6 a.m. calls": no number has a space, and only
		// timestamps, which start with four digits and -, do.
		if strings.IndexByte(value, ' ') > 0 && !(len(value) > 4 && isDigits(value[:4]) && value[4] == '-') {
			return "!!str", true
		}
		return "", false
	case c >= 0x80 || c == '_':
		return "!!str", true
	}
	switch value {
	case "true", "True", "TRUE", "false", "False", "FALSE":
		return "!!bool", true
	case "null", "Null", "NULL":
		return "", false
	}
	if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
		return "!!str", true
	}
	return "", false
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
