// Package diag holds the errors a build reports about content: each names the
// file and line it is about, so a coach can jump straight to the mistake.
package diag

import (
	"fmt"
	"sort"
	"strings"
)

// Error is one problem with the content, reported as "PATH:LINE: message".
// Line is 1-based; 0 means the problem is about the file as a whole.
type Error struct {
	Path string
	Line int
	Msg  string
}

// Error formats e as "PATH:LINE: message", or "PATH: message" when Line is 0.
func (e Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Msg)
}

// Errorf returns an Error at path:line with a formatted message.
func Errorf(path string, line int, format string, args ...any) Error {
	return Error{Path: path, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// List is every problem found in one run. A build with a non-empty List
// writes nothing.
type List []Error

// Error joins the errors, one per line.
func (l List) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Sort orders the list by path, then line, then message, so reports are
// stable whatever order the files were read in.
func (l List) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Msg < b.Msg
	})
}

// Err returns l as an error, or nil when l is empty.
func (l List) Err() error {
	if len(l) == 0 {
		return nil
	}
	l.Sort()
	return l
}

// Count formats n of a noun for a message: "1 client", "3 clients".
func Count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
