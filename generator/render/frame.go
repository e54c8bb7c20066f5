package render

// This file is a fast path (docs/benchmarks.md, "Fast paths"): the layout
// is executed once per kind of page and cut into a frame, and each page only
// fills the frame with its title and main content. frame_test.go checks it
// against executing the layout in full (TestWrapMatchesLayout, FuzzWrap).

import (
	"bytes"
	"fmt"
	"html/template"
	"slices"
	"strings"
	"text/template/parse"

	"github.com/coachsite/coachsite/generator/model"
)

// The layout is the same for every page of a site but for the title and
// the main content, given the depth, kind and scripts of the page. Executing
// it costs more than the rest of a small page, so it is executed once per
// such combination with sentinels in place of the title and main, and cut
// into chunks at them; Wrap then only concatenates, escaping the title as
// html/template escapes HTML text. It is done with two different pairs of
// sentinels: if the layout used the title anywhere html/template escapes
// otherwise (a script, a URL), the cut pieces differ and every page of that
// layout is executed in full instead. So is every page of a layout that
// does anything with the title or main but print them (plainUses).
var sentinels = [2][2]string{
	{"\x00T1\x01<&'\"+>", "\x00M1\x01"},
	{"\x00T2\x01<&'\"+>", "\x00M2\x01"},
}

const (
	holeTitle = 0
	holeMain  = 1
)

type frame struct {
	chunks [][]byte // len(holes)+1 pieces around the holes
	holes  []int    // holeTitle or holeMain, in order
}

type frameKey struct {
	site                      *model.Site
	lang, root, kind, scripts string
	title                     bool // whether the page has a title of its own
}

// noFrame marks a layout that must be executed per page.
var noFrame = &frame{}

func (t *Theme) frame(set *langSet, site *model.Site, ld LayoutData) (*frame, error) {
	key := frameKey{site: site, lang: ld.Lang, root: ld.Root, kind: ld.Kind, scripts: strings.Join(ld.Scripts, "\n"), title: ld.Title != ld.SiteTitle}
	if f, ok := t.frames.Load(key); ok {
		if f == noFrame {
			return nil, nil
		}
		return f.(*frame), nil
	}
	if !plainUses(set.layout) {
		t.frames.Store(key, noFrame)
		return nil, nil
	}
	var fs [2]*frame
	for i, sn := range sentinels {
		probe := ld
		probe.Title, probe.Main = sn[0], template.HTML(sn[1])
		var buf bytes.Buffer
		if err := set.layout.ExecuteTemplate(&buf, "base", &probe); err != nil {
			return nil, err
		}
		fs[i] = cutFrame(buf.Bytes(), htmlEscape(sn[0]), sn[1])
	}
	if !sameFrame(fs[0], fs[1]) {
		t.frames.Store(key, noFrame)
		return nil, nil
	}
	t.frames.Store(key, fs[0])
	return fs[0], nil
}

// cutFrame splits b at each escaped title and main sentinel.
func cutFrame(b []byte, title, main string) *frame {
	f := &frame{}
	for {
		it, im := bytes.Index(b, []byte(title)), bytes.Index(b, []byte(main))
		if it < 0 && im < 0 {
			break
		}
		if im < 0 || (it >= 0 && it < im) {
			f.chunks = append(f.chunks, bytes.Clone(b[:it]))
			f.holes = append(f.holes, holeTitle)
			b = b[it+len(title):]
		} else {
			f.chunks = append(f.chunks, bytes.Clone(b[:im]))
			f.holes = append(f.holes, holeMain)
			b = b[im+len(main):]
		}
	}
	f.chunks = append(f.chunks, bytes.Clone(b))
	return f
}

func sameFrame(a, b *frame) bool {
	if len(a.holes) != len(b.holes) {
		return false
	}
	for i := range a.holes {
		if a.holes[i] != b.holes[i] {
			return false
		}
	}
	for i := range a.chunks {
		if !bytes.Equal(a.chunks[i], b.chunks[i]) {
			return false
		}
	}
	return true
}

// htmlEscape escapes s exactly as html/template escapes text in HTML.
var htmlEscape = strings.NewReplacer(
	"\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;",
).Replace

// appendPage appends main laid out as the complete page p to dst, and says
// where in the result main was copied to, or -1 when the layout was executed
// in full.
func (t *Theme) appendPage(dst []byte, p *Page, main []byte) (data []byte, at int, err error) {
	ld := layoutData(p, template.HTML(main))
	set, err := t.set(ld.Lang)
	if err != nil {
		return nil, -1, fmt.Errorf("%s: %w", p.Path, err)
	}
	fr, err := t.frame(set, p.site, ld)
	if err != nil {
		return nil, -1, fmt.Errorf("%s: %w", p.Path, err)
	}
	if fr == nil { // the layout uses the title where plain HTML escaping is not enough
		buf := bytes.NewBuffer(dst)
		if err := set.layout.ExecuteTemplate(buf, "base", &ld); err != nil {
			return nil, -1, fmt.Errorf("%s: %w", p.Path, err)
		}
		return buf.Bytes(), -1, nil
	}
	title := htmlEscape(ld.Title)
	n := len(dst) + len(main) + len(fr.holes)*len(title)
	for _, c := range fr.chunks {
		n += len(c)
	}
	out := slices.Grow(dst, n-len(dst))
	at = -1
	for i, c := range fr.chunks {
		out = append(out, c...)
		if i < len(fr.holes) {
			if fr.holes[i] == holeMain {
				if at < 0 {
					at = len(out) - len(dst)
				}
				out = append(out, main...)
			} else {
				out = append(out, title...)
			}
		}
	}
	return out, at, nil
}

// plainUses reports whether the templates of layout use .Title and .Main
// only by printing them, each alone in an action ({{.Title}}, {{$.Main}}):
// a frame stands in for nothing else. A layout that tests, measures, binds
// or passes them on sees the sentinels, not the page's own values.
func plainUses(layout *template.Template) bool {
	for _, t := range layout.Templates() {
		if t.Tree != nil && !plainList(t.Tree.Root) {
			return false
		}
	}
	return true
}

func plainList(list *parse.ListNode) bool {
	if list == nil {
		return true
	}
	for _, n := range list.Nodes {
		var ok bool
		switch n := n.(type) {
		case *parse.ActionNode:
			p := n.Pipe
			cmds := p.Cmds
			if len(p.Decl) == 0 && len(cmds) > 0 && len(cmds[0].Args) == 1 && isFrameField(cmds[0].Args[0]) && len(frameIdent(cmds[0].Args[0])) == 1 {
				cmds = cmds[1:] // printed alone; what follows are escapers
			}
			ok = plainCmds(cmds)
		case *parse.IfNode:
			ok = plainCmds(n.Pipe.Cmds) && len(n.Pipe.Decl) == 0 && plainList(n.List) && plainList(n.ElseList)
		case *parse.RangeNode:
			ok = plainCmds(n.Pipe.Cmds) && plainList(n.List) && plainList(n.ElseList)
		case *parse.WithNode:
			ok = plainCmds(n.Pipe.Cmds) && plainList(n.List) && plainList(n.ElseList)
		case *parse.TemplateNode:
			ok = n.Pipe == nil || plainCmds(n.Pipe.Cmds)
		case *parse.ListNode:
			ok = plainList(n)
		default:
			ok = true // text, comments, break and continue
		}
		if !ok {
			return false
		}
	}
	return true
}

// plainCmds reports whether no argument of cmds, however deep, names the
// title or main.
func plainCmds(cmds []*parse.CommandNode) bool {
	for _, c := range cmds {
		for _, a := range c.Args {
			switch a := a.(type) {
			case *parse.FieldNode, *parse.VariableNode:
				if isFrameField(a) {
					return false
				}
			case *parse.ChainNode:
				if pn, ok := a.Node.(*parse.PipeNode); ok && !plainCmds(pn.Cmds) {
					return false
				}
			case *parse.PipeNode:
				if !plainCmds(a.Cmds) {
					return false
				}
			}
		}
	}
	return true
}

// isFrameField reports whether n is .Title or .Main, or $.Title or $.Main,
// or a field of either.
func isFrameField(n parse.Node) bool {
	ident := frameIdent(n)
	return len(ident) > 0 && (ident[0] == "Title" || ident[0] == "Main")
}

// frameIdent is the chain of field names n reads from the layout's data:
// [Title] for .Title and $.Title, nil for any other node.
func frameIdent(n parse.Node) []string {
	switch n := n.(type) {
	case *parse.FieldNode:
		return n.Ident
	case *parse.VariableNode:
		if len(n.Ident) >= 2 && n.Ident[0] == "$" {
			return n.Ident[1:]
		}
	}
	return nil
}
