package markdown

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"

	"github.com/coachsite/coachsite/generator/diag"
)

// fenceKind classifies the fenced block n of src by its info string.
func fenceKind(n *ast.FencedCodeBlock, src []byte) FenceKind {
	if n.Info == nil {
		return CodeFence
	}
	return classifyRaw(n.Info.Segment.Value(src))
}

// classifyRaw classifies an info string as written in the source: its
// backslash escapes and character references are resolved first, as the
// Markdown renderer resolves them, so ```priv&#97;te reads private.
func classifyRaw(info []byte) FenceKind {
	info = util.UnescapePunctuations(info)
	info = util.ResolveNumericReferences(info)
	info = util.ResolveEntityNames(info)
	return ClassifyInfo(string(info))
}

// hasFenceRun reports whether src holds three backticks or three tildes in
// a row: without them it has no fenced block and no line that reads like
// the start of one.
func hasFenceRun(src []byte) bool {
	return bytes.Contains(src, []byte("```")) || bytes.Contains(src, []byte("~~~"))
}

// strayPrivateLines reports each line of src that holds, anywhere, a run of
// three or more backticks or tildes followed by an info string that
// ClassifyInfo takes as private or a near miss, unless the line is one of
// the fences the parser found (openers), which inspect has dealt with.
// Where the Markdown rules do not make such a line a fence — indented, in a
// list item, a block quote, a table cell, an HTML block, another fence —
// its text would reach the client.
func strayPrivateLines(src []byte, openers map[int]bool, path string, firstLine int) diag.List {
	if !hasFenceRun(src) {
		return nil
	}
	var errs diag.List
	line := 0
	for rest := src; len(rest) > 0; line++ {
		var l []byte
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			l, rest = rest[:i], rest[i+1:]
		} else {
			l, rest = rest, nil
		}
		if _, seen := openers[line]; seen {
			continue
		}
		switch kind, info := strayFence(l); kind {
		case PrivateFence:
			errs = append(errs, strayError(path, firstLine+line))
		case NearMissFence:
			errs = append(errs, nearMissError(path, firstLine+line, info))
		}
	}
	return errs
}

// strayFence returns the first run of three or more backticks or tildes in
// line whose info string is private or a near miss, with that info string.
// The info string of a run ends at the end of the line, or at the next
// backtick after a backtick run (an inline code span closes there) and the
// next run of three tildes after a tilde run, so each byte is classified
// once.
func strayFence(line []byte) (FenceKind, []byte) {
	for i := 0; i < len(line); {
		c := line[i]
		if c != '`' && c != '~' {
			i++
			continue
		}
		j := i
		for j < len(line) && line[j] == c {
			j++
		}
		if j-i < 3 {
			i = j
			continue
		}
		info := line[j:]
		var end int
		if c == '`' {
			end = bytes.IndexByte(info, '`')
		} else {
			end = bytes.Index(info, []byte("~~~"))
		}
		if end >= 0 {
			info = info[:end]
		}
		info = bytes.TrimSpace(info)
		if k := classifyRaw(info); k != CodeFence {
			return k, info
		}
		i = j + max(end, 0)
		if end < 0 {
			break
		}
	}
	return CodeFence, nil
}

func strayError(path string, line int) diag.Error {
	return diag.Errorf(path, line, "a \"```private\" line must start a fenced block at the top level "+
		"(not indented, not inside a list, quote, table or another fence), or its notes would show on the client's page")
}

func nearMissError(path string, line int, info []byte) diag.Error {
	return diag.Errorf(path, line, "fenced block %q looks like a coach-only block; did you mean ```private?", bytes.TrimSpace(info))
}
