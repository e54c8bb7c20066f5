package load

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// fastCases are front matters on both sides of the edge of fastNode's
// subset; for each, fastNode must build yaml.v3's tree or give up.
var fastCases = []string{
	sessionFrontMatter,
	"title: a\n",
	"title: a",
	"\n\ntitle: a\n\n\nformat: video\n\n",
	"title: \"Q3: plans # and more\"\n",
	"title: \"\"\n",
	"title: \" padded \"\n",
	"title: \"a \\\"b\\\"\"\n",
	"title: 'single'\n",
	"title: 'it''s'\n",
	"title: 'a \"b\"'\n",
	"title: ''\n",
	"tags: ['a', \"b\", 'c d' , e]\n",
	"drainers: [6 a.m. calls, 2024-01-02 x, 2024 plans, 1 000, 12 ]\n",
	"a: 6 a.m. calls\n",
	"a: 2024-01-02 10:00:00\n",
	"a: 2024-01-02 x\n",
	"title: Kim's   session\n",
	"title: Café — résumé\ntags: [é, ü ö]\n",
	"title: a # comment\n",
	"# head\ntitle: a\n",
	"title: a\n# foot\n",
	"title: a:b\n",
	"title: a: b\n",
	"title:a\n",
	"title : a\n",
	"title:  two spaces\n",
	"title:\ttab\n",
	"title: a \n",
	"title: a\n  continued\n",
	"title:\n  a\n",
	"title:\n",
	"title: ~\n",
	"title: null\n",
	"title: Null\n",
	"draft: true\n",
	"draft: False\n",
	"draft: yes\n",
	"draft: on\n",
	"draft: off\n",
	"draft: n\n",
	"duration: 0\n",
	"duration: 01\n",
	"duration: 09\n",
	"duration: 0x1f\n",
	"duration: 0o17\n",
	"duration: 0b11\n",
	"duration: 1_000\n",
	"duration: +1\n",
	"duration: -1\n",
	"duration: .5\n",
	"duration: 1.5\n",
	"duration: 1e3\n",
	"duration: .inf\n",
	"duration: 99999999999999999999999\n",
	"duration: 123456789012345678\n",
	"duration: 75 minutes\n",
	"date: 2026-01-14\n",
	"date: 2026-02-30\n",
	"date: 2026-1-14\n",
	"date: 2026-01-14T10:00:00Z\n",
	"date: 2026-01-14 10:00\n",
	"date: \"2026-01-14\"\n",
	"ratings: {vision: 4, service: 7}\n",
	"ratings: {vision: 4,service: 7}\n",
	"ratings: { vision: 4 , service: 7 }\n",
	"ratings: {vision:4}\n",
	"ratings: {vision: 4, vision: 5}\n",
	"ratings: {vision: 4,}\n",
	"ratings: {vision}\n",
	"ratings: {vision: }\n",
	"ratings: {}\n",
	"ratings: {vision: 4\n  , service: 3}\n",
	"ratings: {\"vision\": 4}\n",
	"ratings: {true: 4}\n",
	"ratings: {vision: 4} trailing\n",
	"ratings: {vision: [1, {a: b}]}\n",
	"tags: [a, b]\n",
	"tags: []\n",
	"tags: [ ]\n",
	"tags: [a,b]\n",
	"tags: [a , b]\n",
	"tags: [a: b]\n",
	"tags: [a?, b]\n",
	"tags: [\"a\", b c]\n",
	"tags: [a\"b, c'd]\n",
	"tags: [[a], [b, [c]]]\n",
	"tags: [[[[[[[[[[a]]]]]]]]]]\n",
	"tags: [-a]\n",
	"tags: [a]]\n",
	"tags:\n  - a\n  - b c\n",
	"tags:\n- a\n- b\n",
	"tags:\n  - a\n   b\n",
	"tags:\n  - a\n - b\n",
	"tags:\n  -  a\n",
	"tags:\n  -\n    a\n",
	"tags:\n  - - a\n",
	"tags:\n  - [a, b]\n  - {c: d}\n",
	"time:\n  vision: {actual: 30, wished: 15}\n  service: {actual: 70, wished: 85}\n",
	"time:\n    vision: {actual: 30, wished: 15}\n    service: {actual: 70, wished: 85}\nformat: video\n",
	"time:\n  vision:\n    actual: 30\n    wished: 15\n",
	"time:\n  vision: 1\n   service: 2\n",
	"time:\n  vision: 1\n service: 2\n",
	"time:\n  vision: 1\n  vision: 2\n",
	"commitments:\n  - text: a\n    due: 2026-01-14\n    status: done\n  - {text: b}\n  - c\n",
	"commitments:\n  - text: a\n   due: 2026-01-14\n",
	"commitments:\n  - text: a\n     due: 2026-01-14\n",
	"commitments:\n  - text:\n      a: b\n  - text: c\n",
	"commitments:\n  - text:\n    - a\n",
	"commitments:\n  - text: a\ntags: [x]\n",
	"a: b\n---\nc: d\n",
	"---\na: b\n",
	"a: b\n...\n",
	"%YAML 1.2\n---\na: b\n",
	"a: &x b\nc: *x\n",
	"a: !!str b\n",
	"a: |\n  b\n",
	"a: >\n  b\n",
	"<<: {a: b}\n",
	"a: <<\n",
	"true: a\n",
	"A: b\n",
	"a-b: c\n",
	"a_b: c\n_: d\n",
	"  a: b\n",
	"a: b\n  \nc: d\n",
	"a: \"b\"\"c\"\n",
	"a: \"b\" c\n",
	"a: [\"b\" c]\n",
	"a: \"b\n  c\"\n",
	"a: [b,\n  c]\n",
	"a: b\u2028c\n",
	"a: b\u0085c\n",
	"a: \ufeffb\n",
	"a: b\U0001F600\n",
	"a: \u00a0b\n",
	"a: b\xff\n",
	"a: b\r\n",
	"a: {b: c}}\n",
	"a: {b: c, d: [e, f], g: {h: 1}}\n",
	"a: [1, 2024-01-02, true, x]\n",
	"a: [null, ~]\n",
	"a: Ä\nb: {é: 1}\n",
	"a: x" + strings.Repeat("y", 2000) + "\n",
	strings.Repeat("k", 70) + ": a\n",
	strings.Repeat("k", 1100) + ": a\n",
	"",
	"\n",
	"a\n",
	"[a]\n",
	"- a\n",
}

// frontMatters returns the front matter of every .md file under dir.
func frontMatters(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".md") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if fm, _, _, has, closed := splitFrontMatter(normalize(src)); has && closed {
			out[path] = fm
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// checkFastNode fails t when fastNode accepts src but builds another tree
// than yaml.v3. It reports whether fastNode accepted src.
func checkFastNode(t *testing.T, name string, src []byte) bool {
	t.Helper()
	got, ok := fastNode(src)
	if !ok {
		return false
	}
	var want yaml.Node
	if err := yaml.Unmarshal(src, &want); err != nil {
		t.Errorf("%s: fastNode accepts what yaml.v3 refuses (%v):\n%s", name, err, src)
		return true
	}
	if !reflect.DeepEqual(got, &want) {
		t.Errorf("%s: fastNode differs from yaml.v3 on\n%q\n got:\n%s\nwant:\n%s", name, src, dumpNode(got), dumpNode(&want))
	}
	return true
}

// checkDecode fails t when decodeYAML, which takes the fast path when it
// can, decodes src into session or client front matter otherwise than the
// yaml.v3 Decoder does: other field values, other errors.
func checkDecode(t *testing.T, name string, src []byte) {
	t.Helper()
	for _, v := range []struct{ fast, slow any }{
		{&sessionMeta{}, &sessionMeta{}},
		{&clientMeta{}, &clientMeta{}},
	} {
		fastErrs, fastOK := decodeYAML(src, v.fast, "f.md", 2)
		slowErrs, slowOK := decodeSlow(src, v.slow, "f.md", 2)
		if !reflect.DeepEqual(fastErrs, slowErrs) || fastOK != slowOK {
			t.Errorf("%s: decoding %T\n%s\ngives errors %v, %v; yaml.v3 gives %v, %v",
				name, v.fast, src, fastErrs, fastOK, slowErrs, slowOK)
		}
		if !reflect.DeepEqual(v.fast, v.slow) {
			t.Errorf("%s: decoding %T\n%s\ngives\n%+v\nyaml.v3 gives\n%+v", name, v.fast, src, v.fast, v.slow)
		}
	}
}

// dumpNode shows a node tree a node a line, to compare by eye.
func dumpNode(n *yaml.Node) string {
	var b strings.Builder
	var walk func(n *yaml.Node, indent string)
	walk = func(n *yaml.Node, indent string) {
		if n == nil {
			fmt.Fprintf(&b, "%snil\n", indent)
			return
		}
		fmt.Fprintf(&b, "%skind=%d style=%d tag=%q value=%q anchor=%q alias=%v line=%d column=%d comments=%q,%q,%q content(nil=%v)\n",
			indent, n.Kind, n.Style, n.Tag, n.Value, n.Anchor, n.Alias != nil, n.Line, n.Column,
			n.HeadComment, n.LineComment, n.FootComment, n.Content == nil)
		for _, c := range n.Content {
			walk(c, indent+"  ")
		}
	}
	walk(n, "")
	return b.String()
}

func TestFastNode(t *testing.T) {
	accepted := 0
	for i, src := range fastCases {
		if checkFastNode(t, fmt.Sprintf("case %d", i), []byte(src)) {
			accepted++
		}
		checkDecode(t, fmt.Sprintf("case %d", i), []byte(src))
	}
	t.Logf("fastNode accepts %d of %d cases", accepted, len(fastCases))
	if _, ok := fastNode([]byte(sessionFrontMatter)); !ok {
		t.Error("fastNode refuses the benchmark's front matter")
	}
}

// TestFastNodeContent runs fastNode on every front matter of the example
// site and of the 1,000-session corpus, and decodes them with and without
// the fast path. Every one of the corpus, which keeps to the subset, must
// be accepted.
func TestFastNodeContent(t *testing.T) {
	for _, dir := range []string{"../../content", "/tmp/c1k/content"} {
		if _, err := os.Stat(dir); err != nil {
			t.Logf("skipping %s: %v", dir, err)
			continue
		}
		fms := frontMatters(t, dir)
		accepted := 0
		for path, fm := range fms {
			if checkFastNode(t, path, fm) {
				accepted++
			} else if dir == "/tmp/c1k/content" {
				t.Errorf("%s: fastNode refuses\n%s", path, fm)
			}
			checkDecode(t, path, fm)
		}
		t.Logf("%s: fastNode accepts %d of %d front matters", dir, accepted, len(fms))
	}
}

// FuzzFastNode checks that whatever fastNode accepts, it parses as
// yaml.v3 does, and that decoding front matter gives what yaml.v3's Decoder
// gives.
func FuzzFastNode(f *testing.F) {
	for _, src := range fastCases {
		f.Add(src)
	}
	for _, fm := range frontMatters(f, "../../content") {
		f.Add(string(fm))
	}
	f.Fuzz(func(t *testing.T, src string) {
		if checkFastNode(t, "fuzz", []byte(src)) {
			checkDecode(t, "fuzz", []byte(src))
		}
	})
}
