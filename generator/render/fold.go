package render

import (
	"errors"
	"html/template"
	"io"
	"strings"
	"text/template/parse"

	"github.com/coachsite/coachsite/generator/locale"
)

// foldWords writes the fixed words of a page kind's templates into them for
// language l: each {{T "key"}} without values becomes the text T would
// give. Most words of a page are fixed, and each T costs a reflective call
// to T and one to an escaper on every page; folded, they cost nothing.
//
// html/template decides how to escape an action only when it escapes the
// template, so kt is escaped first, by executing its entry templates with
// no data (which fails once past the escaping, harmlessly), and only the
// actions it then escaped for element text or a quoted attribute value are
// folded, and only where those give the same bytes: T's words are HTML
// with <, >, &, ' and " escaped, which both leave alone but for + and NUL,
// which an attribute value escapes further. Every other context (a script,
// a URL, an unquoted attribute) keeps its call.
func foldWords(kt *template.Template, l *locale.Lang, entries ...string) {
	for _, name := range entries {
		if kt.Lookup(name) == nil {
			continue
		}
		var escErr *template.Error
		if err := kt.ExecuteTemplate(io.Discard, name, nil); errors.As(err, &escErr) {
			return // the template is wrong: executing it reports why
		}
	}
	for _, tt := range kt.Templates() {
		if tt.Tree != nil {
			foldList(tt.Tree.Root, l)
		}
	}
}

// foldList folds the actions of list and of the lists below it.
func foldList(list *parse.ListNode, l *locale.Lang) {
	if list == nil {
		return
	}
	for i, n := range list.Nodes {
		switch n := n.(type) {
		case *parse.ActionNode:
			if text, ok := foldedText(n, l); ok {
				list.Nodes[i] = &parse.TextNode{NodeType: parse.NodeText, Pos: n.Pos, Text: []byte(text)}
			}
		case *parse.IfNode:
			foldList(n.List, l)
			foldList(n.ElseList, l)
		case *parse.RangeNode:
			foldList(n.List, l)
			foldList(n.ElseList, l)
		case *parse.WithNode:
			foldList(n.List, l)
			foldList(n.ElseList, l)
		case *parse.ListNode:
			foldList(n, l)
		}
	}
}

// foldedText returns the text an escaped action {{T "key" | escaper}}
// writes, when it is one foldWords may fold.
func foldedText(a *parse.ActionNode, l *locale.Lang) (string, bool) {
	p := a.Pipe
	if p == nil || len(p.Decl) > 0 || len(p.Cmds) != 2 || len(p.Cmds[0].Args) != 2 || len(p.Cmds[1].Args) != 1 {
		return "", false
	}
	fn, ok1 := p.Cmds[0].Args[0].(*parse.IdentifierNode)
	key, ok2 := p.Cmds[0].Args[1].(*parse.StringNode)
	esc, ok3 := p.Cmds[1].Args[0].(*parse.IdentifierNode)
	if !ok1 || !ok2 || !ok3 || fn.Ident != "T" {
		return "", false
	}
	words, err := translateHTML(l, key.Text)
	if err != nil {
		return "", false // the page reports it when it calls T
	}
	switch esc.Ident {
	case "_html_template_htmlescaper":
		return string(words), true
	case "_html_template_attrescaper":
		if !strings.ContainsAny(string(words), "+\x00") {
			return string(words), true
		}
	}
	return "", false
}
