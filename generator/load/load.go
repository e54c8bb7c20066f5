// Package load reads a content folder into a *model.Site: site.yaml, the
// optional home text, and every client's profile and sessions. It is the
// first stage of the pipeline.
//
// Loading checks everything it reads and reports every problem of every file
// at once, as a diag.List whose entries read "PATH:LINE: field: message", with
// PATH the file as reached from the content folder given (for example
// content/clients/kim/2026-01-14.md) and LINE the line in that file. The
// rules are described for users in docs/content-format.md.
//
// Files are read and converted in parallel, one worker per available CPU;
// the result does not depend on the order they finish in.
package load

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/coachsite/coachsite/generator/diag"
	"github.com/coachsite/coachsite/generator/markdown"
	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/rootfs"
)

// MaxFileSize is the largest content file loaded, in bytes (1 MiB). A larger
// file is reported rather than read: a Markdown parser can take time
// quadratic in the length of some inputs.
const MaxFileSize = 1 << 20

// Options changes what is loaded.
type Options struct {
	// Drafts keeps sessions whose front matter says draft: true; they are
	// left out otherwise. They are checked either way.
	Drafts bool
	// NoHTML checks the Markdown of notes as fully as rendering it does
	// (every error is still reported) but renders no HTML: every Notes of
	// the site has empty Client and Coach, and only HasPrivate set. It is
	// for checking content, which it makes several times faster.
	NoHTML bool
}

// notesFunc turns a Markdown body into notes, or only checks it; see
// markdown.Convert and markdown.Check.
type notesFunc func(src []byte, path string, firstLine int) (model.Notes, diag.List)

// notes returns how o turns bodies into notes.
func (o Options) notes() notesFunc {
	if o.NoHTML {
		return markdown.Check
	}
	return markdown.Convert
}

// Site loads the content folder dir. A problem with the content is returned
// as a diag.List (sorted, with every problem found); a failure to read dir
// itself or its clients folder is returned as a plain error. On error the
// returned site is nil.
func Site(dir string, opts Options) (*model.Site, error) {
	ct, err := open(dir, opts, true)
	if err != nil {
		return nil, err
	}
	defer ct.Close()
	errs := ct.errs
	for i := range ct.Site.Clients {
		c, cerrs := ct.Client(i)
		errs = append(errs, cerrs...)
		ct.Site.Clients[i] = c
	}
	if len(errs) > 0 {
		return nil, errs.Err()
	}
	return ct.Site, nil
}

// Content is a content folder opened to be loaded one client at a time, so
// that a build need not hold every client's sessions at once: see Open.
type Content struct {
	// Site is the site as far as Open read it: site.yaml, the home text and
	// every client's profile, areas coloured across the whole site, in slug
	// order. Its clients have no sessions and no Intro: Client gives both.
	// A client without areas of its own shares the site's Areas.
	Site *model.Site

	cd    *rootfs.Dir
	opts  Options
	errs  diag.List
	loads []*clientLoad // parallel to Site.Clients; nil once loaded
}

// Close closes the content folder; Client may not be called after it.
func (ct *Content) Close() error { return ct.cd.Close() }

// Open reads site.yaml, the home text and every client's profile of the
// content folder dir, leaving the sessions to Client. A failure to read dir
// itself or its clients folder is returned as a plain error; problems with
// the content are kept for Problems, so that those of the sessions can be
// reported with them. Close it when done.
func Open(dir string, opts Options) (*Content, error) {
	return open(dir, opts, false)
}

// Problems returns the problems of the content Open found, unsorted; nil
// when there are none.
func (ct *Content) Problems() diag.List { return ct.errs }

// Client loads the sessions of the i-th client of ct.Site and returns that
// client complete, with the problems of its files (its profile's were
// reported by Open). It does not change ct.Site. Each client is loaded
// once; Client may be called for different clients at the same time.
func (ct *Content) Client(i int) (*model.Client, diag.List) {
	cl := ct.loads[i]
	ct.loads[i] = nil
	if !cl.sessionsRead {
		parallel(cl.sessionTasks())
	}
	c := *ct.Site.Clients[i]
	c.Intro = cl.profile.notes
	errs := cl.finishSessions(&c, ct.Site, ct.opts)
	return &c, errs
}

// open is Open; with sessions it also reads every session file in the same
// pass as the profiles, which is faster when the whole site is wanted.
func open(dir string, opts Options, sessions bool) (*Content, error) {
	if fi, err := os.Stat(dir); err != nil {
		return nil, err
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("%s is not a folder", dir)
	}
	cd, err := rootfs.Open(dir, "content folder")
	if err != nil {
		return nil, err
	}
	site, errs := readSiteYAML(cd)
	siteOK := len(errs) == 0

	ents, err := cd.ReadDir("clients")
	var refused *rootfs.Error
	switch {
	case errors.As(err, &refused):
		errs = append(errs, diag.Errorf(refused.Path, 0, "%s", refused.Msg))
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		cd.Close()
		return nil, err
	}
	var loads []*clientLoad
	seenSlug := map[string]string{}
	for _, e := range ents {
		name := e.Name()
		if SkipName(name) {
			continue
		}
		if isDir, d := entryIsDir(cd, filepath.Join("clients", name)); d != nil {
			errs = append(errs, *d)
			continue
		} else if !isDir {
			continue
		}
		rel := filepath.Join("clients", name)
		if !slugRE.MatchString(name) {
			errs = append(errs, diag.Errorf(filepath.Join(dir, rel), 0,
				"%q is not a client folder name: use lower-case letters a-z, digits and -", name))
		}
		lower := strings.ToLower(name)
		if first, dup := seenSlug[lower]; !dup {
			seenSlug[lower] = name
		} else {
			errs = append(errs, diag.Errorf(filepath.Join(dir, rel), 0,
				"client folder %q would be written to the same pages as %q", name, first))
		}
		cl, lerrs := listClient(cd, name, opts.notes())
		errs = append(errs, lerrs...)
		if cl != nil {
			loads = append(loads, cl)
		}
	}

	home := homeLoad{notesOf: opts.notes()}
	tasks := []task{{cd.Path("_index.md"), func() { home.read(cd) }, &home.errs}}
	for _, cl := range loads {
		tasks = append(tasks, cl.profileTasks()...)
		if sessions {
			tasks = append(tasks, cl.sessionTasks()...)
			cl.sessionsRead = true
		}
	}
	parallel(tasks)

	errs = append(errs, home.errs...)
	site.Home = home.notes
	sort.Slice(loads, func(i, j int) bool { return loads[i].slug < loads[j].slug })
	for _, cl := range loads {
		c, cerrs := cl.finishProfile(site, siteOK)
		errs = append(errs, cerrs...)
		// The text waits with the client's load for Client: a site's
		// own pages never show it, and a build keeps the site to its end.
		c.Intro = model.Notes{}
		site.Clients = append(site.Clients, c)
	}
	assignColors(site)
	return &Content{Site: site, cd: cd, opts: opts, errs: errs, loads: loads}, nil
}

// Client reloads the client folder clients/<slug> of the content folder dir
// for site, which must have been loaded from dir: the profile and every
// session, checked against site's scale and areas. It does not change site;
// the caller replaces the client of the same slug with the result. Area
// colours follow site: a key already used keeps its colour, a new key gets
// the next unused one (a full load may then assign colours differently).
func Client(site *model.Site, dir, slug string, opts Options) (*model.Client, diag.List) {
	if !slugRE.MatchString(slug) {
		return nil, diag.List{diag.Errorf(filepath.Join(dir, "clients", slug), 0,
			"%q is not a client folder name: use lower-case letters a-z, digits and -", slug)}
	}
	cd, err := rootfs.Open(dir, "content folder")
	if err != nil {
		return nil, diag.List{diag.Errorf(dir, 0, "cannot read the content folder: %s", unwrapPathError(err))}
	}
	defer cd.Close()
	cl, errs := listClient(cd, slug, opts.notes())
	if cl == nil {
		errs.Sort()
		return nil, errs
	}
	parallel(append(cl.profileTasks(), cl.sessionTasks()...))
	c, cerrs := cl.finishProfile(site, true)
	errs = append(errs, cerrs...)
	errs = append(errs, cl.finishSessions(c, site, opts)...)
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	c.Areas = slices.Clone(c.Areas) // colouring must not reach site's
	colorClient(site, c)
	return c, nil
}

// SessionFile loads one session file, rel being its path below dir (for
// example "clients/kim/2026-01-14.md"), for client of site: its ratings and
// time are checked against client.Areas and site.Scale. The Path of the
// session is filepath.Join(dir, rel). It returns nil and no error for a
// draft when opts.Drafts is false. It does not check the file against the
// client's other sessions (two files for one page, the commitment ledger);
// Client does. Its commitments keep the ids as written, "" where none is.
func SessionFile(site *model.Site, client *model.Client, dir, rel string, opts Options) (*model.Session, diag.List) {
	cd, err := rootfs.Open(dir, "content folder")
	if err != nil {
		return nil, diag.List{diag.Errorf(dir, 0, "cannot read the content folder: %s", unwrapPathError(err))}
	}
	defer cd.Close()
	ps := &parsedSession{cd: cd, rel: rel, path: cd.Path(rel), notesOf: opts.notes()}
	runTask(task{ps.path, ps.read, &ps.errs})
	s, errs := ps.finish(client.Areas, site.Scale)
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	if s.Draft && !opts.Drafts {
		return nil, nil
	}
	return s, nil
}

// task is one file to read in a worker; errs receives a panic, reported
// against path instead of stopping the program.
type task struct {
	path string
	run  func()
	errs *diag.List
}

func runTask(t task) {
	defer func() {
		if r := recover(); r != nil {
			*t.errs = append(*t.errs, diag.Errorf(t.path, 0, "internal error while reading this file: %v", r))
		}
	}()
	t.run()
}

// parallel runs tasks on runtime.GOMAXPROCS(0) goroutines.
func parallel(tasks []task) {
	workers := min(runtime.GOMAXPROCS(0), len(tasks))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(tasks) {
					return
				}
				runTask(tasks[i])
			}
		})
	}
	wg.Wait()
}

// SkipName reports whether a folder entry is hidden or an editor's backup
// or lock file, which loading passes over silently (and the preview server's
// watching with it).
func SkipName(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "#") || strings.HasSuffix(name, "~")
}

// entryIsDir reports whether rel, an entry of a folder of cd, is a folder,
// following a symbolic link that stays inside cd. A link leading out of cd,
// a FIFO, a device or a socket is reported as a diagnostic instead; a
// dangling link is neither a folder nor a problem here.
func entryIsDir(cd *rootfs.Dir, rel string) (bool, *diag.Error) {
	fi, err := cd.Stat(rel)
	var refused *rootfs.Error
	switch {
	case errors.As(err, &refused):
		return false, &diag.Error{Path: refused.Path, Msg: refused.Msg}
	case err != nil:
		return false, nil
	}
	return fi.IsDir(), nil
}

// readSource reads the content file rel of cd. It refuses files over
// MaxFileSize and text that is not UTF-8, strips a byte order mark and
// turns CRLF (and lone CR) line ends into LF. A missing file is reported
// as fs.ErrNotExist in err; other problems, a link leading out of the
// content folder and a file that is not a regular one among them, as a
// diagnostic.
func readSource(cd *rootfs.Dir, rel string) (src []byte, d *diag.Error, err error) {
	path := cd.Path(rel)
	f, err := cd.Open(rel)
	var refused *rootfs.Error
	switch {
	case errors.As(err, &refused):
		return nil, &diag.Error{Path: refused.Path, Msg: refused.Msg}, nil
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil, err
	case err != nil:
		return nil, &diag.Error{Path: path, Msg: "cannot read: " + unwrapPathError(err)}, nil
	}
	defer f.Close()
	size := int64(0)
	if fi, err := f.Stat(); err == nil {
		size = fi.Size()
	}
	if size > MaxFileSize {
		return nil, &diag.Error{Path: path, Msg: fmt.Sprintf("the file is %d bytes, over the cap of 1 MiB (%d bytes) for a content file", size, MaxFileSize)}, nil
	}
	src, err = readAll(f, int(size))
	if err != nil {
		return nil, &diag.Error{Path: path, Msg: "cannot read: " + unwrapPathError(err)}, nil
	}
	if len(src) > MaxFileSize {
		return nil, &diag.Error{Path: path, Msg: fmt.Sprintf("the file is over the cap of 1 MiB (%d bytes) for a content file", MaxFileSize)}, nil
	}
	if d := checkUTF8(src, path); d != nil {
		return nil, d, nil
	}
	return normalize(src), nil, nil
}

// readAll reads r to its end, or to one byte past MaxFileSize, into one
// buffer of size+1 bytes when r holds the size bytes it was said to: the
// extra byte lets the read that finds the end need no bigger buffer.
func readAll(r io.Reader, size int) ([]byte, error) {
	buf := make([]byte, 0, size+1)
	for {
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		switch {
		case err == io.EOF:
			return buf, nil
		case err != nil:
			return nil, err
		case len(buf) > MaxFileSize:
			return buf, nil
		case len(buf) == cap(buf):
			buf = slices.Grow(buf, min(len(buf), MaxFileSize+1-len(buf)))
		}
	}
}

func unwrapPathError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// checkUTF8 reports the line and column of the first byte of src that is
// not UTF-8.
func checkUTF8(src []byte, path string) *diag.Error {
	if utf8.Valid(src) {
		return nil
	}
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size == 1 {
			start := bytes.LastIndexByte(src[:i], '\n') + 1
			line := bytes.Count(src[:i], []byte{'\n'}) + 1
			return &diag.Error{Path: path, Line: line, Msg: fmt.Sprintf(
				"not valid UTF-8 text (byte 0x%02x at column %d); save the file as UTF-8", src[i], utf8.RuneCount(src[start:i])+1)}
		}
		i += size
	}
	return nil
}

// normalize strips a UTF-8 byte order mark and turns CRLF and lone CR into LF.
func normalize(src []byte) []byte {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	if bytes.IndexByte(src, '\r') < 0 {
		return src
	}
	src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	return bytes.ReplaceAll(src, []byte("\r"), []byte("\n"))
}

// isBlank reports whether src holds nothing but white space.
func isBlank(src []byte) bool {
	return len(bytes.TrimSpace(src)) == 0
}

// readWithFrontMatter reads a Markdown file that must open with front matter
// and splits it. It reports a file that cannot be read, is empty, has no
// front matter or leaves it unclosed; what names the kind of file ("a
// session"), needs what an empty one lacks, and example is a line of front
// matter to suggest.
func readWithFrontMatter(cd *rootfs.Dir, rel, what, needs, example string) (fm, body []byte, bodyLine int, errs diag.List) {
	path := cd.Path(rel)
	src, d, err := readSource(cd, rel)
	switch {
	case err != nil:
		return nil, nil, 0, diag.List{diag.Errorf(path, 0, "cannot read: %s", unwrapPathError(err))}
	case d != nil:
		return nil, nil, 0, diag.List{*d}
	case isBlank(src):
		return nil, nil, 0, diag.List{diag.Errorf(path, 0, "the file is empty: %s needs %s", what, needs)}
	}
	fm, body, bodyLine, has, closed := splitFrontMatter(src)
	if !has {
		return nil, nil, 0, diag.List{noFrontMatter(path, what, example)}
	}
	if !closed {
		return nil, nil, 0, diag.List{unclosed(path)}
	}
	return fm, body, bodyLine, nil
}
