// Package markdown turns the Markdown body of a content file into HTML for
// each audience of a coachsite: the client, who never sees a private block,
// and the coach, who sees private blocks inline and marked "Coach only".
//
// A body is parsed (twice when it holds a bare link, see parseBody) and
// rendered once or twice from the same tree. The HTML is safe to place in a
// page as it is: raw HTML is dropped, and a link or image whose URL has a
// scheme other than http, https, mailto, tel or ftp (javascript:, vbscript:,
// data:, file:, ...) gets an empty URL.
//
// A private block is a fenced code block at the top level of the body whose
// info string is the word private (see ClassifyInfo for how the info string
// is read):
//
//	```private
//	Sounded tired when talking about the board.
//	```
//
// An info string that looks meant to be private but is not exactly the word
// (```private-notes, ```privat, ```coach-only, ...) is an error, wherever
// the block is. So is a line holding ```private, or a near miss of it, that
// the Markdown parser did not take as the start of a top-level block —
// because it is indented, inside a list item, a block quote, a table or
// another fence — since it would otherwise be shown to the client as
// ordinary text or code.
package markdown

import (
	"bytes"
	htmltemplate "html/template"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/coachsite/coachsite/generator/diag"
	"github.com/coachsite/coachsite/generator/model"
)

// MaxSize is the largest body Convert accepts, in bytes. Some inputs make a
// Markdown parser work in time quadratic in their length; the cap bounds it.
const MaxSize = 1 << 20

// PrivateLabel is the visible label of a private block in the coach's HTML.
const PrivateLabel = "Coach only"

// audience says who a rendering is for.
type audience int

const (
	client audience = iota
	coach
)

var (
	once     sync.Once
	mdClient goldmark.Markdown // also the parser of every body
	mdCoach  goldmark.Markdown
)

// setup builds the goldmark instances. They share every option and differ
// only in how a private block renders; a goldmark.Markdown is safe for
// concurrent use, so one set serves every goroutine.
func setup() {
	mdClient = newMarkdown(client)
	mdCoach = newMarkdown(coach)
}

func newMarkdown(a audience) goldmark.Markdown {
	exts := []goldmark.Extender{
		// The table's default alignment method (style) changes the tree
		// while rendering, which breaks a second or concurrent render.
		extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)),
		extension.Strikethrough,
		extension.TaskList,
		extension.Linkify,
		extension.Footnote,
	}
	return goldmark.New(
		goldmark.WithExtensions(exts...),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
		goldmark.WithRendererOptions(
			renderer.WithNodeRenderers(util.Prioritized(newNodeRenderer(a), 100)),
		),
	)
}

// parseBody parses src, with the options of both audiences.
func parseBody(src []byte) ast.Node {
	return mdClient.Parser().Parse(text.NewReader(src))
}

// Convert renders src, the Markdown body of the file path whose first line is
// line firstLine of that file, for both audiences. Errors name path and the
// line in the file; on error the Notes are empty.
//
// When src has no private block, the returned Coach and Client are the same
// string and HasPrivate is false.
func Convert(src []byte, path string, firstLine int) (model.Notes, diag.List) {
	if err := checkSize(src, path); err != nil {
		return model.Notes{}, err
	}
	doc, openers, errs := parse(src, path, firstLine)
	if errs != nil {
		return model.Notes{}, errs
	}

	b := buffers.Get().(*htmlBuffer)
	defer b.release()
	html, err := b.render(mdClient, src, doc)
	if err != nil {
		return model.Notes{}, diag.List{diag.Errorf(path, 0, "rendering Markdown: %v", err)}
	}
	notes := model.Notes{Client: html}
	if len(openers) == 0 { // all are top-level here: nested ones are errors
		notes.Coach = notes.Client
		return notes, nil
	}
	if notes.Coach, err = b.render(mdCoach, src, doc); err != nil {
		return model.Notes{}, diag.List{diag.Errorf(path, 0, "rendering Markdown: %v", err)}
	}
	notes.HasPrivate = true
	return notes, nil
}

// htmlBuffer is what a body is rendered into: a bytes.Buffer that is also
// the util.BufWriter goldmark writes to. Given any other writer, goldmark
// wraps it in a new 4 KiB bufio.Writer on every render.
type htmlBuffer struct{ bytes.Buffer }

var _ util.BufWriter = (*htmlBuffer)(nil)

// buffers holds the htmlBuffers not in use.
var buffers = sync.Pool{New: func() any { return new(htmlBuffer) }}

// maxPooled is the largest buffer kept for reuse, in bytes; the few larger
// ones are left to the garbage collector.
const maxPooled = 64 << 10

// render renders doc, parsed from src, with md and returns the HTML.
func (b *htmlBuffer) render(md goldmark.Markdown, src []byte, doc ast.Node) (htmltemplate.HTML, error) {
	b.Reset()
	if err := md.Renderer().Render(b, src, doc); err != nil {
		return "", err
	}
	return toHTML(b.String()), nil
}

// release returns b to the pool.
func (b *htmlBuffer) release() {
	if b.Cap() <= maxPooled {
		buffers.Put(b)
	}
}

// Available implements util.BufWriter: a bytes.Buffer grows as needed.
func (b *htmlBuffer) Available() int { return b.Cap() - b.Len() }

// Buffered implements util.BufWriter: nothing waits to be flushed.
func (b *htmlBuffer) Buffered() int { return 0 }

// Flush implements util.BufWriter; there is nothing to flush.
func (b *htmlBuffer) Flush() error { return nil }

// Check reports the problems Convert would report for src, without
// rendering any HTML: the returned Notes have empty Client and Coach and
// only HasPrivate set. A body without three backticks or three tildes in a
// row cannot have a fenced block nor a line that reads like one, and is not
// even parsed. It is for checking content, where the HTML is not wanted.
func Check(src []byte, path string, firstLine int) (model.Notes, diag.List) {
	if err := checkSize(src, path); err != nil {
		return model.Notes{}, err
	}
	if !hasFenceRun(src) {
		return model.Notes{}, nil
	}
	_, openers, errs := parse(src, path, firstLine)
	if errs != nil {
		return model.Notes{}, errs
	}
	return model.Notes{HasPrivate: len(openers) > 0}, nil
}

// inspect walks the tree once: it empties unsafe link and image URLs and
// returns the source lines (0-based, within src) of the private fences,
// mapped to true for those at the top level and to false for those nested in
// another block, which it reports as errors.
func inspect(doc ast.Node, src []byte, path string, firstLine int) (map[int]bool, diag.List) {
	var openers map[int]bool
	var errs diag.List
	var unsafeAutoLinks []*ast.AutoLink
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.FencedCodeBlock:
			kind := fenceKind(n, src)
			if kind == CodeFence {
				return ast.WalkSkipChildren, nil
			}
			line := lineOf(src, n.Info.Segment.Start)
			if openers == nil {
				openers = map[int]bool{}
			}
			topLevel := n.Parent() != nil && n.Parent().Kind() == ast.KindDocument
			switch {
			case kind == NearMissFence:
				errs = append(errs, nearMissError(path, firstLine+line, n.Info.Segment.Value(src)))
			case !topLevel:
				errs = append(errs, strayError(path, firstLine+line))
			}
			// false remembers an error so the line scan does not report it twice.
			openers[line] = kind == PrivateFence && topLevel
			return ast.WalkSkipChildren, nil
		case *ast.Link:
			if !SafeURL(n.Destination) {
				n.Destination = nil
			}
		case *ast.Image:
			if !SafeURL(n.Destination) {
				n.Destination = nil
			}
		case *ast.AutoLink:
			if !SafeURL(n.URL(src)) {
				unsafeAutoLinks = append(unsafeAutoLinks, n)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, n := range unsafeAutoLinks {
		// Show the text of the link, not a link.
		n.Parent().ReplaceChild(n.Parent(), n, ast.NewString(n.Label(src)))
	}
	return openers, errs
}

// lineOf returns the 0-based line of byte offset off in src.
func lineOf(src []byte, off int) int {
	if off > len(src) {
		off = len(src)
	}
	return bytes.Count(src[:off], []byte{'\n'})
}

// SafeURL reports whether url may be written into an href or src attribute:
// it has no scheme (a relative URL or a #fragment), or its scheme is http,
// https, mailto, tel or ftp. It reads the scheme as a browser does, after
// dropping leading control characters and spaces and every tab and newline.
func SafeURL(url []byte) bool {
	i := 0
	for i < len(url) && url[i] <= ' ' {
		i++
	}
	var scheme []byte
	for ; i < len(url); i++ {
		c := url[i]
		if c == '\t' || c == '\n' || c == '\r' {
			continue
		}
		if c == ':' {
			break
		}
		isAlpha := c|0x20 >= 'a' && c|0x20 <= 'z'
		if len(scheme) == 0 && !isAlpha {
			return true // no scheme: relative
		}
		if !isAlpha && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.' {
			return true // '/', '?', '#' or other: the colon, if any, is not a scheme's
		}
		scheme = append(scheme, c|0x20)
		if len(scheme) > 16 {
			return false
		}
	}
	if i == len(url) || len(scheme) == 0 {
		return true
	}
	switch string(scheme) {
	case "http", "https", "mailto", "tel", "ftp":
		return true
	}
	return false
}

func toHTML(s string) htmltemplate.HTML { return htmltemplate.HTML(s) }

// nodeRenderer renders what coachsite renders differently from goldmark's
// defaults: private blocks (per audience), raw HTML (dropped) and task list
// items (their checkbox labelled by the item's text).
type nodeRenderer struct {
	audience     audience
	fencedRaw    renderer.NodeRendererFunc // goldmark's own fenced code renderer
	paragraphRaw renderer.NodeRendererFunc
	textBlockRaw renderer.NodeRendererFunc
}

func newNodeRenderer(a audience) *nodeRenderer {
	c := capture{}
	html.NewRenderer().RegisterFuncs(c)
	return &nodeRenderer{audience: a, fencedRaw: c[ast.KindFencedCodeBlock],
		paragraphRaw: c[ast.KindParagraph], textBlockRaw: c[ast.KindTextBlock]}
}

// capture collects the render functions of a goldmark node renderer.
type capture map[ast.NodeKind]renderer.NodeRendererFunc

func (c capture) Register(k ast.NodeKind, f renderer.NodeRendererFunc) { c[k] = f }

// RegisterFuncs implements renderer.NodeRenderer.
func (r *nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, r.renderFenced)
	reg.Register(ast.KindHTMLBlock, renderNothing)
	reg.Register(ast.KindRawHTML, renderNothing)
	reg.Register(extast.KindTaskCheckBox, renderTaskCheckBox)
	reg.Register(ast.KindParagraph, r.closeTaskLabel(r.paragraphRaw))
	reg.Register(ast.KindTextBlock, r.closeTaskLabel(r.textBlockRaw))
}

// renderTaskCheckBox opens a label around a task list item's checkbox and
// its text, which closeTaskLabel closes: goldmark's bare checkbox has no
// accessible name, so a screen reader would announce an unnamed checkbox.
func renderTaskCheckBox(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	if node.(*extast.TaskCheckBox).IsChecked {
		_, _ = w.WriteString(`<label class="task"><input checked="" disabled="" type="checkbox"> `)
	} else {
		_, _ = w.WriteString(`<label class="task"><input disabled="" type="checkbox"> `)
	}
	return ast.WalkContinue, nil
}

// closeTaskLabel wraps goldmark's renderer of a paragraph or text block so
// that one starting with a task checkbox closes the label the checkbox
// opened, inside the block.
func (r *nodeRenderer) closeTaskLabel(raw renderer.NodeRendererFunc) renderer.NodeRendererFunc {
	return func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering && n.FirstChild() != nil && n.FirstChild().Kind() == extast.KindTaskCheckBox {
			_, _ = w.WriteString("</label>")
		}
		return raw(w, src, n, entering)
	}
}

func renderNothing(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	return ast.WalkSkipChildren, nil
}

func (r *nodeRenderer) renderFenced(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.FencedCodeBlock)
	// Convert has already refused nested private fences and near misses,
	// so a private one here is at the top level.
	if fenceKind(n, src) != PrivateFence {
		return r.fencedRaw(w, src, node, entering)
	}
	if !entering || r.audience == client {
		return ast.WalkSkipChildren, nil
	}
	_, _ = w.WriteString(`<aside class="private-note" data-private><p class="private-note-label"><strong>` + PrivateLabel + "</strong></p>\n")
	var para strings.Builder
	flush := func() {
		if para.Len() > 0 {
			_, _ = w.WriteString("<p>")
			_, _ = w.WriteString(para.String())
			_, _ = w.WriteString("</p>\n")
			para.Reset()
		}
	}
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		l := bytes.TrimRight(seg.Value(src), " \t\r\n")
		if len(bytes.TrimSpace(l)) == 0 {
			flush()
			continue
		}
		if para.Len() > 0 {
			para.WriteString("<br>\n")
		}
		para.Write(util.EscapeHTML(l))
	}
	flush()
	_, _ = w.WriteString("</aside>\n")
	return ast.WalkSkipChildren, nil
}

// checkSize refuses a body over MaxSize: goldmark is quadratic on some inputs.
func checkSize(src []byte, path string) diag.List {
	if len(src) > MaxSize {
		return diag.List{diag.Errorf(path, 0, "the Markdown body is %d bytes, over the cap of %d bytes (1 MiB)", len(src), MaxSize)}
	}
	return nil
}

// parse parses src once and checks its private blocks: every line that
// reads like a private fence must open one at the top level. It returns the
// tree, the lines of the private fences found, and the problems, sorted.
func parse(src []byte, path string, firstLine int) (ast.Node, map[int]bool, diag.List) {
	once.Do(setup)
	doc := parseBody(src)
	openers, errs := inspect(doc, src, path, firstLine)
	errs = append(errs, strayPrivateLines(src, openers, path, firstLine)...)
	if len(errs) > 0 {
		errs.Sort()
		return nil, nil, errs
	}
	return doc, openers, nil
}
