package load

import (
	"io"
	"path/filepath"
	"strings"

	"github.com/coachsite/coachsite/generator/diag"
	"github.com/coachsite/coachsite/generator/markdown"
	"github.com/coachsite/coachsite/generator/rootfs"
)

// Source returns the file rel of the content folder dir as an archive
// keeps it, read through the same checks as loading (no link leading out
// of dir, regular files only), and blocks, the number of private blocks of
// a Markdown file. They are removed (markdown.StripPrivate) unless
// keepPrivate is set; a file that loses one is returned as loading reads
// it, without a byte order mark and with LF line ends, and any other
// exactly as it is.
func Source(dir, rel string, keepPrivate bool) (data []byte, blocks int, err error) {
	cd, err := rootfs.Open(dir, "content folder")
	if err != nil {
		return nil, 0, err
	}
	defer cd.Close()
	f, err := cd.Open(rel)
	if err != nil {
		return nil, 0, err
	}
	raw, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	f.Close()
	if err != nil {
		return nil, 0, err
	}
	ext := strings.ToLower(filepath.Ext(rel))
	if ext != ".md" && ext != ".markdown" {
		return raw, 0, nil
	}
	if len(raw) > MaxFileSize {
		return nil, 0, &diag.Error{Path: cd.Path(rel), Msg: "over the cap of 1 MiB for a content file"}
	}
	if d := checkUTF8(raw, cd.Path(rel)); d != nil {
		return nil, 0, d
	}
	src := normalize(raw)
	_, body, bodyLine, _, _ := splitFrontMatter(src)
	stripped, n, err := markdown.StripPrivate(body, cd.Path(rel), bodyLine)
	if err != nil || n == 0 || keepPrivate {
		return raw, n, err
	}
	head := src[:len(src)-len(body)]
	return append(head[:len(head):len(head)], stripped...), n, nil
}
