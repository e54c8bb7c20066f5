package markdown

import (
	"bytes"
	"fmt"

	"github.com/yuin/goldmark/ast"
)

// StripPrivate returns src, a Markdown body, without its private blocks:
// each line from a private block's opening fence to its closing fence (to
// the end of src when it has none) is removed, and n is how many blocks
// were. Blocks are found as Convert finds them, with the same parser and
// ClassifyInfo, so what the client's page leaves out is what is stripped.
// A body Convert would refuse is refused here too, and so is a result that
// still holds a private block.
func StripPrivate(src []byte, path string, firstLine int) (out []byte, n int, err error) {
	if err := checkSize(src, path); err != nil {
		return nil, 0, err.Err()
	}
	doc, _, errs := parse(src, path, firstLine)
	if errs != nil {
		return nil, 0, errs.Err()
	}
	var cut [][2]int // byte ranges of whole lines, in order
	for c := doc.FirstChild(); c != nil; c = c.NextSibling() {
		f, ok := c.(*ast.FencedCodeBlock)
		if !ok || fenceKind(f, src) != PrivateFence {
			continue
		}
		start := lineStart(src, f.Info.Segment.Start)
		end := len(src)
		after := lineEnd(src, f.Info.Segment.Start) // past the opener
		if l := f.Lines(); l.Len() > 0 {
			after = lineEnd(src, l.At(l.Len()-1).Stop-1)
		}
		if closing := lineEnd(src, after); after < len(src) && isClosingFence(src[after:closing], src[start:]) {
			end = closing
		}
		cut = append(cut, [2]int{start, end})
	}
	if len(cut) == 0 {
		return src, 0, nil
	}
	out = make([]byte, 0, len(src))
	prev := 0
	for _, c := range cut {
		out = append(out, src[prev:c[0]]...)
		prev = c[1]
	}
	out = append(out, src[prev:]...)
	if _, openers, errs := parse(out, path, firstLine); errs != nil || len(openers) > 0 {
		return nil, 0, fmt.Errorf("%s: a private block is left after stripping %d; not archiving this file", path, len(cut))
	}
	return out, len(cut), nil
}

// lineStart returns the offset of the start of the line holding off.
func lineStart(src []byte, off int) int {
	return bytes.LastIndexByte(src[:min(off, len(src))], '\n') + 1
}

// lineEnd returns the offset just past the end of the line holding off
// (past its '\n'), or len(src).
func lineEnd(src []byte, off int) int {
	off = min(max(off, 0), len(src))
	if i := bytes.IndexByte(src[off:], '\n'); i >= 0 {
		return off + i + 1
	}
	return len(src)
}

// isClosingFence reports whether line closes the fence that opener (from
// the start of its line) opens: up to three spaces, then at least as many
// of the same fence character, then only spaces or tabs.
func isClosingFence(line, opener []byte) bool {
	indent := func(b []byte) []byte {
		for i := 0; i < 3 && len(b) > 0 && b[0] == ' '; i++ {
			b = b[1:]
		}
		return b
	}
	run := func(b []byte) (byte, int) {
		if len(b) == 0 || (b[0] != '`' && b[0] != '~') {
			return 0, 0
		}
		n := 0
		for n < len(b) && b[n] == b[0] {
			n++
		}
		return b[0], n
	}
	oc, on := run(indent(opener))
	line = indent(line)
	lc, ln := run(line)
	return oc != 0 && lc == oc && ln >= on && len(bytes.Trim(line[ln:], " \t\r\n")) == 0
}
