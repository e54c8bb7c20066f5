package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/coachsite/coachsite/generator/diag"
	"github.com/coachsite/coachsite/generator/pipeline"
)

// Exit statuses.
const (
	exitOK      = 0
	exitContent = 1 // the content (or the file system) stopped the build
	exitUsage   = 2
)

// command is one sub-command of the command line.
type command struct {
	summary string
	usage   string // arguments after the command name
	run     func(c *cli, args []string) int
}

// cli carries the output streams through a run, so tests can capture them.
type cli struct {
	stdout, stderr io.Writer
}

// commands holds every sub-command by name, each run by a method of cli in
// the file of its name. It is filled in by init because help, one of them,
// reads it.
var commands map[string]command

func init() {
	commands = map[string]command{
		"archive":    {"pack a client's engagement as a verifiable zip (BagIt)", "CLIENT [-o FILE.zip] | --all [-o DIR] [--force] [--content DIR] [--sign KEY] [--unsealed [--with-private-notes]] [--secrets FILE] [--drafts]", (*cli).archive},
		"build":      {"build the site from the content folder", "[--content DIR] [--out DIR] [--force] [--drafts] [--secrets FILE]", (*cli).build},
		"check":      {"validate the content, write nothing", "[--content DIR] [--drafts] [--secrets FILE] [--out DIR]", (*cli).check},
		"help":       {"show help for a command", "[COMMAND]", (*cli).help},
		"import":     {"open a client's sealed check-in and write it as a draft session", "FILE|- [--client SLUG] [--content DIR] [--secrets FILE]", (*cli).importCheckIn},
		"keygen":     {"make an Ed25519 key pair for signing archives", "NAME", (*cli).keygen},
		"new":        {"start a site, a client or a session", "site DIR | client SLUG [--name NAME] [--areas a,b,c] [--content DIR] | session CLIENT [--date YYYY-MM-DD] [--title TITLE] [--content DIR]", (*cli).new},
		"passphrase": {"create a passphrase for a client (or --coach) and record it in the secrets file", "CLIENT [--sponsor] | --coach [--rotate] [--secrets FILE] [--content DIR] | --site-secret [--print]", (*cli).passphrase},
		"serve":      {"preview the site locally, rebuilding and reloading on change", "[--content DIR] [--port N] [--drafts] [--sealed [--secrets FILE]]", (*cli).serve},
		"share":      {"print a client's portal address and write a hand-over sheet for them", "CLIENT [-o FILE.html] [--with-passphrase] [--content DIR] [--secrets FILE]", (*cli).share},
		"verify":     {"check an archive's checksums and signature", "FILE.zip [--key PUB]", (*cli).verify},
		"version":    {"print the version", "", (*cli).version},
	}
}

func run(args []string, stdout, stderr io.Writer) int {
	c := &cli{stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		c.usage(stderr)
		return exitUsage
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help":
		c.usage(stdout)
		return exitOK
	case "-version", "--version":
		name = "version"
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "coachsite: unknown command %q\n\n", name)
		c.usage(stderr)
		return exitUsage
	}
	return cmd.run(c, args[1:])
}

func (c *cli) usage(w io.Writer) {
	fmt.Fprintln(w, "coachsite turns coaching-session notes into a static site of client portals.")
	fmt.Fprintln(w, "\nUsage:\n\n  coachsite COMMAND [flags]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'coachsite COMMAND -h' for a command's flags.")
}

// flags returns a flag set for command name that prints its usage on -h and
// reports parse errors without exiting.
func (c *cli) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.Usage = func() {
		cmd := commands[name]
		fmt.Fprintf(fs.Output(), "Usage: coachsite %s %s\n\n%s.\n", name, cmd.usage, upperFirst(cmd.summary))
		var any bool
		fs.VisitAll(func(*flag.Flag) { any = true })
		if any {
			fmt.Fprintln(fs.Output(), "\nFlags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parse parses args into fs and returns the exit status to stop with, or -1
// to carry on. -h prints usage to stdout and succeeds.
func (c *cli) parse(fs *flag.FlagSet, args []string, maxArgs int) int {
	if st := c.parseFlags(fs, args); st >= 0 {
		return st
	}
	if fs.NArg() > maxArgs {
		fmt.Fprintf(c.stderr, "coachsite %s: unexpected argument %q\n", fs.Name(), fs.Arg(maxArgs))
		fs.Usage()
		return exitUsage
	}
	return -1
}

// parseFlags parses the flags of args into fs and prints the usage once:
// to stdout for -h (then returning exitOK), to stderr after a bad flag
// (then exitUsage). It returns -1 to carry on. Package flag prints the
// usage itself on both; that copy is held back so it is not shown twice.
func (c *cli) parseFlags(fs *flag.FlagSet, args []string) int {
	usage := fs.Usage
	fs.Usage = func() {}
	err := fs.Parse(args)
	fs.Usage = usage
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(c.stdout)
		fs.Usage()
		return exitOK
	case err != nil:
		fs.Usage()
		return exitUsage
	}
	return -1
}

func (c *cli) build(args []string) int {
	fs := c.flags("build")
	var o pipeline.Options
	var quiet, verbose bool
	fs.StringVar(&o.Content, "content", "content", "the content `folder` to read")
	fs.StringVar(&o.Out, "out", "public", "the `folder` to write the site to (replaced only when the build succeeds)")
	fs.BoolVar(&o.Drafts, "drafts", false, "include sessions marked draft: true")
	c.secretsFlag(fs, &o)
	fs.BoolVar(&o.Force, "force", false, "replace an --out folder that has no coachsite marker (once, for the output of an older coachsite)")
	fs.BoolVar(&quiet, "quiet", false, "print nothing but errors")
	fs.BoolVar(&verbose, "verbose", false, "also print how long each stage took")
	if st := c.parse(fs, args, 0); st >= 0 {
		return st
	}
	o.Warn = c.warner("build")
	if !quiet && isTerminal(c.stdout) {
		o.Progress = c.progress()
	}
	stats, err := pipeline.Build(o)
	if o.Progress != nil {
		fmt.Fprint(c.stdout, "\r\033[K")
	}
	if err != nil {
		return c.fail("build", err)
	}
	if quiet {
		return exitOK
	}
	if verbose {
		for _, s := range stats.Stages {
			fmt.Fprintf(c.stdout, "  %-13s %s\n", s.Name, roundDuration(s.Duration))
		}
	}
	fmt.Fprintf(c.stdout, "built %s in %s → %s\n", stats, roundDuration(stats.Duration), o.Out)
	return exitOK
}

// secretsFlag adds --secrets to fs and has the pipeline say on standard
// error where it read the secrets from (seal.LocateSecrets has the rule).
func (c *cli) secretsFlag(fs *flag.FlagSet, o *pipeline.Options) {
	fs.StringVar(&o.Secrets, "secrets", "", "the secrets `file` of an encrypted or unlisted site (default: the environment, else secrets.yaml beside the content folder)")
	o.SecretsFrom = c.secretsFrom()
}

// secretsFrom returns a pipeline.Options.SecretsFrom that prints the source
// of the secrets once, as "secrets: SOURCE", on standard error.
func (c *cli) secretsFrom() func(string) {
	var once sync.Once
	return func(source string) {
		once.Do(func() { fmt.Fprintf(c.stderr, "secrets: %s\n", source) })
	}
}

// progress returns a pipeline.Options.Progress that redraws one status line on
// a terminal, at most every 100 ms.
func (c *cli) progress() func(done, total int) {
	var last time.Time
	return func(done, total int) {
		if total == 0 {
			fmt.Fprint(c.stdout, "\r\033[Kcontent loaded; writing pages…")
			return
		}
		if now := time.Now(); now.Sub(last) >= 100*time.Millisecond || done == total {
			last = now
			fmt.Fprintf(c.stdout, "\r\033[Kwriting pages: %d of %d clients", done, total)
		}
	}
}

// isTerminal reports whether w is a terminal, so progress lines are shown to
// people and never to pipes, logs or CI.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func (c *cli) check(args []string) int {
	fs := c.flags("check")
	var o pipeline.Options
	fs.StringVar(&o.Content, "content", "content", "the content `folder` to read")
	fs.BoolVar(&o.Drafts, "drafts", false, "include sessions marked draft: true")
	c.secretsFlag(fs, &o)
	fs.StringVar(&o.Out, "out", "public", "the output `folder` builds use, which no secrets file may be in")
	if st := c.parse(fs, args, 0); st >= 0 {
		return st
	}
	o.Warn = c.warner("check")
	stats, err := pipeline.Check(o)
	if err != nil {
		return c.fail("check", err)
	}
	fmt.Fprintf(c.stdout, "ok: %s, %s checked in %s\n", diag.Count(stats.Clients, "client"), diag.Count(stats.Sessions, "session"), roundDuration(stats.Duration))
	return exitOK
}

func (c *cli) version(args []string) int {
	fs := c.flags("version")
	if st := c.parse(fs, args, 0); st >= 0 {
		return st
	}
	fmt.Fprintf(c.stdout, "coachsite %s\n", version())
	return exitOK
}

func (c *cli) help(args []string) int {
	if len(args) == 0 {
		c.usage(c.stdout)
		return exitOK
	}
	if _, ok := commands[args[0]]; !ok {
		fmt.Fprintf(c.stderr, "coachsite help: unknown command %q\n", args[0])
		return exitUsage
	}
	fs := c.flags(args[0])
	fs.SetOutput(c.stdout)
	fs.Usage()
	return exitOK
}

// warner returns a pipeline.Options.Warn that prints to standard error.
func (c *cli) warner(cmd string) func(string) {
	return func(msg string) { fmt.Fprintf(c.stderr, "coachsite %s: warning: %s\n", cmd, msg) }
}

// fail prints err (one content problem a line) and returns the exit status.
func (c *cli) fail(cmd string, err error) int {
	var list diag.List
	if errors.As(err, &list) {
		for _, e := range list {
			fmt.Fprintln(c.stderr, e.Error())
		}
		fmt.Fprintf(c.stderr, "coachsite %s: %s; nothing was written\n", cmd, diag.Count(len(list), "error"))
		return exitContent
	}
	fmt.Fprintf(c.stderr, "coachsite %s: %v\n", cmd, err)
	return exitContent
}

// version reports the module version the binary was built from.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok || info.Main.Version == "" {
		return "(devel)"
	}
	v := info.Main.Version
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 && v == "(devel)" {
			v += " " + s.Value[:12]
		}
	}
	return v
}

func roundDuration(d time.Duration) time.Duration {
	if d > time.Second {
		return d.Round(10 * time.Millisecond)
	}
	return d.Round(100 * time.Microsecond)
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
