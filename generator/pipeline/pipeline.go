// Package pipeline assembles the stages of coachsite — load, derive, render,
// write or seal — into one run, in one place (run.go), and runs it for each
// command: Build writes the site to disk, Check writes nothing, Memory keeps
// it in memory for the preview server, and Archive packs one engagement at a
// time. They differ only in the writer the run hands its files to and in the
// purpose it is assembled for.
//
// A run streams the site one client at a time across all cores: it loads a
// client's sessions, derives its report, renders and writes its pages and
// keeps only a summary, which the site's own pages (home, coach dashboard)
// are made from at the end. Memory therefore stays flat however many
// sessions the site has.
package pipeline

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/coachsite/coachsite/generator/diag"
	"github.com/coachsite/coachsite/generator/output"
	"github.com/coachsite/coachsite/generator/seal"
)

// Options says what to build and where.
type Options struct {
	Content string // the content folder, e.g. "content"
	Out     string // the output folder, e.g. "public"; replaced only on success
	Drafts  bool   // include sessions marked draft: true
	// Force replaces an output folder that has no coachsite marker, such
	// as the output of an older coachsite (see output.Options).
	Force bool

	// Secrets is the secrets file of an encrypted or unlisted site
	// (docs/privacy.md); "" reads them from the environment or, when it
	// holds none, from secrets.yaml beside the content folder
	// (seal.LocateSecrets).
	Secrets string
	// Environ is the environment the secrets are read from when Secrets is
	// ""; nil means os.Environ().
	Environ []string
	// SecretsFrom, when set, is told where the secrets of an encrypted or
	// unlisted site were read from — the file's path, or "environment" —
	// each time they are read. It is never told a secret.
	SecretsFrom func(source string)

	// Warn, when set, hears each warning of the build (a secrets file open
	// to others, or tracked by git), one sentence without a newline; when
	// nil, warnings go to standard error.
	Warn func(msg string)

	// Progress, when set, is called as the build goes: once when the content
	// is opened (done = total = 0) and after each client's pages are
	// written, with the number of clients done and in all. It may be called
	// from several goroutines, never at the same time.
	Progress func(done, total int)
}

// Stats describes a finished build.
type Stats struct {
	Clients  int
	Sessions int
	Pages    int // files written, assets included
	Duration time.Duration
	Stages   []Stage // how long each stage took, in pipeline order
}

// Stage is the time one stage of a build took.
type Stage struct {
	Name     string // "open", "clients", "site", "commit"
	Duration time.Duration
}

// String formats the counts for the one-line summary, e.g.
// "3 clients, 17 sessions, 28 files".
func (s Stats) String() string {
	return fmt.Sprintf("%s, %s, %s", diag.Count(s.Clients, "client"), diag.Count(s.Sessions, "session"), diag.Count(s.Pages, "file"))
}

// Build builds the site in o.Content into o.Out. Content problems are returned
// as a diag.List holding every problem found; then, as on any error, o.Out is
// left exactly as it was.
func Build(o Options) (Stats, error) {
	start := time.Now()
	if err := output.CheckPlacement(o.Content, o.Out, outputOptions(o)); err != nil {
		return Stats{}, err
	}
	r, err := assemble(o, forPublish)
	if err != nil {
		return Stats{}, err
	}
	defer r.Close()
	out, err := output.Begin(o.Out, outputOptions(o))
	if err != nil {
		return Stats{}, err
	}
	st, err := r.stream(out)
	if err != nil {
		out.Abort()
		return Stats{}, err
	}
	st.Pages = out.Files()
	if err := out.Commit(); err != nil {
		return Stats{}, err
	}
	st.Stages = append(st.Stages, Stage{"commit", time.Since(start) - sum(st.Stages)})
	st.Duration = time.Since(start)
	return st, nil
}

// outputOptions says what replacing the output folder must respect: --force,
// and the secrets file and key cache wherever they are, so that a folder
// holding them is never replaced whatever they are called.
func outputOptions(o Options) output.Options {
	environ := o.Environ
	if environ == nil {
		environ = os.Environ()
	}
	var keep []output.SecretFile
	for _, f := range []string{o.Secrets, seal.SecretsBeside(o.Content)} {
		if f != "" {
			keep = append(keep, output.SecretFile{Path: f, What: "the secrets file"}, output.SecretFile{Path: f + ".keys", What: "the key cache"})
		}
	}
	for _, kv := range environ {
		if k, v, _ := strings.Cut(kv, "="); k == seal.EnvKeyCache {
			keep = append(keep, output.SecretFile{Path: v, What: "the key cache"})
		}
	}
	return output.Options{Force: o.Force, Keep: keep}
}

// Check finds every problem a build would, and writes nothing, not even the
// key cache of an encrypted site. It validates every file of the content
// (notes included, without making their HTML), the secrets of a private
// site, and renders the site's own pages and the largest client's — which
// exercises every template of the theme and the privacy stage — rather than
// every page, so that it stays fast on large sites. Stats.Pages is 0.
func Check(o Options) (Stats, error) {
	start := time.Now()
	r, err := assemble(o, forCheck)
	if err != nil {
		return Stats{}, err
	}
	defer r.Close()
	st, err := r.stream(discard{})
	if err != nil {
		return Stats{}, err
	}
	st.Pages = 0
	st.Duration = time.Since(start)
	return st, nil
}

func sum(stages []Stage) time.Duration {
	var d time.Duration
	for _, s := range stages {
		d += s.Duration
	}
	return d
}
