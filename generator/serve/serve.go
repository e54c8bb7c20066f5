// Package serve is the preview server of coachsite: it builds a site in
// memory, serves it on the local machine, watches the content and the site's
// themes (told of changes by the system through fsnotify, or by polling
// where that fails), rebuilds what a change touches and makes open pages
// reload themselves.
//
// Nothing is written to disk: the preview never touches public/. Pages are
// served unsealed whatever the site's privacy (see pipeline.Memory), so the
// server listens on a loopback address only.
//
// Pages are served as built, with one change: a script tag for
// /__coachsite/reload.js is put before </body> of every HTML page. The
// script listens to /__coachsite/events (server-sent events) and reloads the
// page after a rebuild, and draws the problems of the content, read from
// /__coachsite/errors or the events, over the page. It is a same-origin file,
// so the pages' Content-Security-Policy (script-src 'self') allows it, and it
// inserts text with textContent only. `coachsite build` output never holds it.
package serve

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coachsite/coachsite/generator/diag"
	"github.com/coachsite/coachsite/generator/pipeline"
)

// Prefix is the URL path under which the server's own files and endpoints
// live; no page of a site can be there.
const Prefix = "/__coachsite/"

//go:embed assets
var assets embed.FS

// DefaultInterval is how often the content is polled for changes where the
// system cannot tell of them.
const DefaultInterval = 250 * time.Millisecond

// Options says what to serve and how.
type Options struct {
	Content string        // the content folder
	Drafts  bool          // include sessions marked draft: true
	Sealed  bool          // preview pages sealed as a build seals them; every change then rebuilds all
	Secrets string        // the secrets file for Sealed; "" looks for them as pipeline.Options says
	Themes  string        // the site's themes folder; "" means themes/ beside Content
	Every   time.Duration // polling interval where polling is used; 0 means DefaultInterval
	Log     io.Writer     // progress and problems for the terminal; nil discards

	// SecretsFrom, when set, is told where the secrets were read from, at
	// each sealed build (see pipeline.Options).
	SecretsFrom func(source string)
}

// Server is a preview server for one site. It is an http.Handler.
type Server struct {
	o     Options
	mem   *pipeline.Memory
	roots []string

	scanMu sync.Mutex // one Scan at a time
	snap   snapshot

	subMu sync.Mutex
	subs  map[chan event]struct{}
	done  chan struct{}
	once  sync.Once

	lastErrs string // the problems last printed, to print a change only once
}

// event is one server-sent event.
type event struct {
	name, data string
}

// New builds the site in memory and returns a server for it. Content
// problems do not stop it: they are shown until fixed. It fails only when
// the content folder does not exist or an option cannot be honoured.
func New(o Options) (*Server, error) {
	if !isDir(o.Content) {
		return nil, fmt.Errorf("no content folder at %s", o.Content)
	}
	if o.Themes == "" {
		o.Themes = filepath.Join(filepath.Dir(filepath.Clean(o.Content)), "themes")
	}
	if o.Every <= 0 {
		o.Every = DefaultInterval
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	s := &Server{
		o:     o,
		mem:   pipeline.NewMemory(pipeline.Options{Content: o.Content, Drafts: o.Drafts, Secrets: o.Secrets, SecretsFrom: o.SecretsFrom}, o.Sealed),
		roots: []string{o.Content, o.Themes},
		subs:  map[chan event]struct{}{},
		done:  make(chan struct{}),
	}
	s.snap = scanRoots(s.roots, nil)
	st, err := s.mem.Full()
	s.report("built", st, err)
	return s, nil
}

// Scan polls the content and themes once and rebuilds what changed: the
// clients whose folders changed, or the whole site after a change to
// site.yaml, the home text, the theme or anything else outside a client
// folder. It reports whether anything changed. Watch calls it in a loop
// where the system cannot tell of changes; tests and benchmarks call it
// directly.
func (s *Server) Scan() bool {
	s.scanMu.Lock()
	defer s.scanMu.Unlock()
	snap := scanRoots(s.roots, s.snap)
	changed := diff(s.snap, snap)
	s.snap = snap
	if len(changed) == 0 {
		return false
	}
	s.rebuild(changed)
	return true
}

// apply rebuilds what the changed paths, reported by the system, touch.
func (s *Server) apply(changed []string) {
	s.scanMu.Lock()
	defer s.scanMu.Unlock()
	s.rebuild(changed)
}

// rebuild rebuilds what the changed paths touch and tells the open pages.
// The caller holds scanMu.
func (s *Server) rebuild(changed []string) {
	pl := planFor(s.o.Content, changed)
	if pl.full {
		st, err := s.mem.Full()
		s.report("rebuilt", st, err)
	} else {
		for _, slug := range pl.clients {
			st, err := s.mem.Client(slug)
			s.report("rebuilt "+slug+":", st, err)
		}
	}
	s.publish()
}

// Watch rebuilds after every change to the content and themes until ctx is
// done. It is told of changes by the system (fsnotify: inotify on Linux,
// kqueue on macOS and the BSDs, ReadDirectoryChangesW on Windows), and
// rebuilds once a burst of changes (an editor's save) is over, about 25 ms
// after its last event. When the system cannot watch the tree (too many
// folders for its limit, say), it polls with Scan every Options.Every.
func (s *Server) Watch(ctx context.Context) {
	n, err := newNotifier(s.roots)
	if err != nil {
		fmt.Fprintf(s.o.Log, "watching for changes by polling: %v\n", err)
		s.poll(ctx)
		return
	}
	defer n.Close()
	// What changed between New's snapshot and the first watch.
	s.Scan()
	coalesce(ctx, n.paths, s.apply)
}

// poll calls Scan every Options.Every until ctx is done. On a tree so large
// that a poll takes long (about 10 ms for 10,000 files on an idle machine),
// it waits at least three times the last poll between two, so that polling
// never takes more than a quarter of a core.
func (s *Server) poll(ctx context.Context) {
	wait := s.o.Every
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		start := time.Now()
		if s.Scan() {
			wait = s.o.Every // a rebuild's time is not the poll's
			continue
		}
		wait = max(s.o.Every, 3*time.Since(start))
	}
}

// report prints the outcome of a build to the terminal log, and the
// problems when they changed.
func (s *Server) report(what string, st pipeline.Stats, err error) {
	errs := s.mem.Errors()
	text := errs.Error()
	if err == nil {
		fmt.Fprintf(s.o.Log, "%s %s in %s\n", what, st, st.Duration.Round(100*time.Microsecond))
	}
	if text != s.lastErrs {
		if len(errs) > 0 {
			fmt.Fprintln(s.o.Log, text)
			fmt.Fprintf(s.o.Log, "%s; still serving the last good site\n", diag.Count(len(errs), "problem"))
		} else if s.lastErrs != "" {
			fmt.Fprintln(s.o.Log, "all problems fixed")
		}
		s.lastErrs = text
	}
}

// Status is the JSON of /__coachsite/errors: the generation of the site
// served (it grows with every successful rebuild) and the content's problems.
type Status struct {
	Generation uint64    `json:"generation"`
	Errors     []Problem `json:"errors"`
}

// Problem is one content problem as the overlay shows it.
type Problem struct {
	Path    string `json:"path"`
	Line    int    `json:"line"`
	Message string `json:"message"`
	Text    string `json:"text"` // "PATH:LINE: message"
}

// Status returns the generation served and the current problems.
func (s *Server) Status() Status {
	st := Status{Generation: s.mem.Generation(), Errors: []Problem{}}
	for _, e := range s.mem.Errors() {
		st.Errors = append(st.Errors, Problem{Path: filepath.ToSlash(e.Path), Line: e.Line, Message: e.Msg, Text: e.Error()})
	}
	return st
}

// Errors returns the current content problems.
func (s *Server) Errors() diag.List { return s.mem.Errors() }

// publish tells every open page what the last scan did: "reload" with the new
// generation, and "status" with the problems.
func (s *Server) publish() {
	b, _ := json.Marshal(s.Status())
	s.broadcast(event{"status", string(b)})
}

func (s *Server) broadcast(ev event) {
	s.subMu.Lock()
	defer s.subMu.Unlock()
	for ch := range s.subs {
		select {
		case ch <- ev:
		default: // a slow page gets the next one
		}
	}
}

// subscribe returns a channel that gets the events of every rebuild, and
// the function that ends the subscription.
func (s *Server) subscribe() (<-chan event, func()) {
	ch := make(chan event, 4)
	s.subMu.Lock()
	s.subs[ch] = struct{}{}
	s.subMu.Unlock()
	return ch, func() {
		s.subMu.Lock()
		delete(s.subs, ch)
		s.subMu.Unlock()
	}
}

// Close ends the event streams of open pages, so that an http.Server
// serving s can shut down.
func (s *Server) Close() { s.once.Do(func() { close(s.done) }) }

// ServeHTTP serves the site from memory, the reload script and the
// endpoints under Prefix, to requests whose Host is localhost or a loopback
// address only, with the security headers of a built site.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if guard(w, r) {
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	p := r.URL.Path
	if strings.HasPrefix(p, Prefix) {
		s.serveOwn(w, r, strings.TrimPrefix(p, Prefix))
		return
	}
	if !s.mem.Built() {
		s.servePage(w, r, http.StatusServiceUnavailable, "index.html", []byte(noSite))
		return
	}
	rel := strings.TrimPrefix(path.Clean(p), "/")
	if strings.HasSuffix(p, "/") || rel == "" {
		rel = path.Join(rel, "index.html")
	}
	if b, ok := s.mem.File(rel); ok {
		s.servePage(w, r, http.StatusOK, rel, b)
		return
	}
	if _, ok := s.mem.File(path.Join(rel, "index.html")); ok {
		http.Redirect(w, r, "/"+rel+"/", http.StatusMovedPermanently)
		return
	}
	if rel == "favicon.ico" {
		// Browsers ask for it by themselves; a site without one gets an
		// empty answer rather than a 404 logged in the console.
		w.WriteHeader(http.StatusNoContent)
		return
	}
	b, ok := s.mem.File("404.html")
	if !ok {
		b = []byte("404 page not found\n")
	}
	s.servePage(w, r, http.StatusNotFound, "404.html", b)
}

// noSite is served while no build has succeeded yet; the overlay shows why.
const noSite = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>coachsite: no site yet</title></head>` +
	`<body><h1>The site could not be built yet</h1><p>Fix the problems shown and this page reloads.</p></body></html>`

// servePage writes b as the file at rel, with the reload script in HTML.
func (s *Server) servePage(w http.ResponseWriter, r *http.Request, status int, rel string, b []byte) {
	ct := mime.TypeByExtension(path.Ext(rel))
	if ct == "" {
		ct = "application/octet-stream"
		if path.Base(rel) == "_headers" || path.Ext(rel) == ".txt" {
			ct = "text/plain; charset=utf-8"
		}
	}
	if path.Ext(rel) == ".html" {
		b = Inject(b, s.mem.Generation())
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(b)
	}
}

// Inject returns page with the reload script tag before its last </body>
// (or at its end), noting the generation the page was served from.
func Inject(page []byte, gen uint64) []byte {
	tag := `<script src="` + Prefix + `reload.js" data-generation="` + strconv.FormatUint(gen, 10) + `"></script>`
	i := bytes.LastIndex(page, []byte("</body>"))
	if i < 0 {
		i = len(page)
	}
	out := make([]byte, 0, len(page)+len(tag)+1)
	out = append(out, page[:i]...)
	out = append(out, tag...)
	out = append(out, '\n')
	return append(out, page[i:]...)
}

func (s *Server) serveOwn(w http.ResponseWriter, r *http.Request, name string) {
	switch name {
	case "errors":
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(s.Status())
	case "events":
		s.serveEvents(w, r)
	case "reload.js", "reload.css":
		b, err := assets.ReadFile("assets/" + name)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", mime.TypeByExtension(path.Ext(name)))
		w.Write(b)
	default:
		http.NotFound(w, r)
	}
}

// serveEvents streams server-sent events: the status at once, then after
// every scan that changed something.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	ch, cancel := s.subscribe()
	defer cancel()
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)
	b, _ := json.Marshal(s.Status())
	send := func(ev event) bool {
		_, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", ev.name, ev.data)
		fl.Flush()
		return err == nil
	}
	if !send(event{"status", string(b)}) {
		return
	}
	keep := time.NewTicker(20 * time.Second)
	defer keep.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		case ev := <-ch:
			if !send(ev) {
				return
			}
		case <-keep.C:
			if _, err := io.WriteString(w, ": keep-alive\n\n"); err != nil {
				return
			}
			fl.Flush()
		}
	}
}

// Run serves o's site on addr (a loopback address such as
// "127.0.0.1:1313"; port 0 picks a free one) and watches it until ctx is
// done. ready, if not nil, is called with the site's URL once it listens.
func Run(ctx context.Context, o Options, addr string, ready func(url string)) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("%s is not a loopback address: the preview shows unsealed client notes, so it serves this machine only", host)
	}
	s, err := New(o)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	if ready != nil {
		ready("http://" + ln.Addr().String() + "/")
	}
	go s.Watch(ctx)
	select {
	case err := <-errc:
		s.Close()
		return err
	case <-ctx.Done():
	}
	s.Close()
	sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}
