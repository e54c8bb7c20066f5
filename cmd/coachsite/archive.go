package main

import (
	"crypto/ed25519"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/coachsite/coachsite/generator/archive"
	"github.com/coachsite/coachsite/generator/diag"
	"github.com/coachsite/coachsite/generator/output"
	"github.com/coachsite/coachsite/generator/pipeline"
	"github.com/coachsite/coachsite/generator/seal"
)

// parseInterspersed parses args into fs allowing flags after the positional
// arguments ("archive kim -o kim.zip"), which package flag alone does not.
func (c *cli) parseInterspersed(fs *flag.FlagSet, args []string, maxArgs int) ([]string, int) {
	var pos []string
	for {
		if st := c.parseFlags(fs, args); st >= 0 {
			return nil, st
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	if len(pos) > maxArgs {
		fmt.Fprintf(c.stderr, "coachsite %s: unexpected argument %q\n", fs.Name(), pos[maxArgs])
		fs.Usage()
		return nil, exitUsage
	}
	return pos, -1
}

func (c *cli) archive(args []string) int {
	fs := c.flags("archive")
	var o pipeline.ArchiveOptions
	var out, sign string
	var all, force bool
	fs.StringVar(&o.Content, "content", "content", "the content `folder` to read")
	fs.StringVar(&out, "o", "", "the zip `file` to write (default CLIENT-DATE.zip, DATE being the newest session's); with --all, the folder")
	fs.StringVar(&sign, "sign", "", "sign the archive with the private key `file` made by coachsite keygen")
	fs.BoolVar(&all, "all", false, "archive every client, one zip each")
	fs.BoolVar(&o.Unsealed, "unsealed", false, "on an encrypted site, pack the pages in clear with the source and data export")
	fs.BoolVar(&o.WithPrivateNotes, "with-private-notes", false, "keep the coach-only ```private blocks in the source Markdown the archive packs (removed by default)")
	c.secretsFlag(fs, &o.Options)
	fs.BoolVar(&o.Drafts, "drafts", false, "include sessions marked draft: true")
	fs.BoolVar(&force, "force", false, "replace a file at -o that is not a coachsite archive")
	pos, st := c.parseInterspersed(fs, args, 1)
	if st >= 0 {
		return st
	}
	if all == (len(pos) == 1) {
		fmt.Fprintln(c.stderr, "coachsite archive: name one CLIENT (its folder under content/clients/) or give --all")
		fs.Usage()
		return exitUsage
	}
	if sign != "" {
		key, err := archive.ReadPrivateKeyFile(sign)
		if err != nil {
			return c.fail("archive", err)
		}
		o.Signer = key
	}
	if !all && out != "" {
		// Refuse before the work, not after it.
		if err := c.archiveTarget(out, o); err != nil {
			return c.fail("archive", err)
		}
		if err := archive.CheckReplace(out, force); err != nil {
			return c.fail("archive", err)
		}
	}
	o.Warn = c.warner("archive")
	start := time.Now()
	archived, err := pipeline.Archive(o, pos...)
	if err != nil {
		return c.fail("archive", err)
	}
	names := make([]string, len(archived))
	for i, a := range archived {
		names[i] = a.File
		switch {
		case all && out != "":
			names[i] = filepath.Join(out, names[i])
		case !all && out != "":
			names[i] = out
		}
		// Every name is checked before any is written.
		if err := c.archiveTarget(names[i], o); err != nil {
			return c.fail("archive", err)
		}
		if err := archive.CheckReplace(names[i], force); err != nil {
			return c.fail("archive", err)
		}
	}
	if all && out != "" {
		if err := os.MkdirAll(out, 0o755); err != nil {
			return c.fail("archive", err)
		}
	}
	for i, a := range archived {
		name := names[i]
		if err := archive.WriteFile(name, a.Zip, force); err != nil {
			return c.fail("archive", err)
		}
		state := "unsealed"
		if a.Sealed {
			state = "pages sealed"
		}
		signed := ""
		if o.Signer != nil {
			signed = ", signed " + archive.Fingerprint(o.Signer.Public().(ed25519.PublicKey))
		}
		notes := ""
		switch {
		case !a.Source:
		case a.PrivateBlocks == 0:
			notes = "; no coach-only blocks in the source"
		case o.WithPrivateNotes:
			notes = "; " + diag.Count(a.PrivateBlocks, "coach-only block") + " KEPT in the source (--with-private-notes)"
		default:
			notes = "; " + diag.Count(a.PrivateBlocks, "coach-only block") + " removed from the source"
		}
		fmt.Fprintf(c.stdout, "archived %s → %s (bag %s; %d files, %d bytes, %s%s%s)\n", a.Client, name, a.Name, a.Files, len(a.Zip), state, signed, notes)
	}
	fmt.Fprintf(c.stdout, "done in %s\n", roundDuration(time.Since(start)))
	return exitOK
}

// archiveTarget refuses, --force or not, to write an archive over site
// content, the secrets or their key cache, a file named like them, or into
// a built site.
func (c *cli) archiveTarget(name string, o pipeline.ArchiveOptions) error {
	if r, err := filepath.EvalSymlinks(name); err == nil {
		name = r
	}
	abs, err := filepath.Abs(name)
	if err != nil {
		return err
	}
	protect := map[string]string{o.Content: "the content folder"}
	for _, f := range []string{o.Secrets, seal.SecretsBeside(o.Content)} {
		if f != "" {
			protect[f] = "the secrets file"
			protect[f+".keys"] = "the key cache"
		}
	}
	for p, what := range protect {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			p = r
		}
		if pa, err := filepath.Abs(p); err == nil && pa == abs {
			return fmt.Errorf("%s: is %s; refusing to write an archive there", name, what)
		} else if err == nil && output.Within(pa, abs) {
			return fmt.Errorf("%s: inside %s %s; refusing to write an archive there", name, what, p)
		}
	}
	if what := output.Sensitive(filepath.Base(name)); what != "" {
		return fmt.Errorf("%s: named like %s; refusing to write an archive there", name, what)
	}
	// An archive in a site's output would be published, and removed by the
	// next build.
	for dir := filepath.Dir(abs); ; dir = filepath.Dir(dir) {
		if _, err := os.Lstat(filepath.Join(dir, output.MarkerFile)); err == nil {
			return fmt.Errorf("%s: inside the built site %s, where it would be published; refusing to write an archive there", name, dir)
		}
		if dir == filepath.Dir(dir) {
			return nil
		}
	}
}

func (c *cli) verify(args []string) int {
	fs := c.flags("verify")
	var keyFile string
	fs.StringVar(&keyFile, "key", "", "check the signature with this public key `file` (NAME.pub)")
	pos, st := c.parseInterspersed(fs, args, 1)
	if st >= 0 {
		return st
	}
	if len(pos) != 1 {
		fmt.Fprintln(c.stderr, "coachsite verify: name the archive to check")
		fs.Usage()
		return exitUsage
	}
	var pub ed25519.PublicKey
	if keyFile != "" {
		var err error
		if pub, err = archive.ReadPublicKeyFile(keyFile); err != nil {
			return c.fail("verify", err)
		}
	}
	rep, err := archive.VerifyFile(pos[0], pub)
	for _, p := range rep.Problems {
		fmt.Fprintln(c.stdout, p.String())
	}
	fmt.Fprintf(c.stdout, "%s: %d payload files, %d bytes; %s\n", pos[0], rep.Files, rep.Octets, rep.Signature)
	if rep.SignedBy != nil {
		fmt.Fprintf(c.stdout, "signed by key %s\n", archive.Fingerprint(rep.SignedBy))
	}
	for _, u := range rep.Untracked {
		fmt.Fprintf(c.stdout, "%s: untracked (not covered by checksums or signature)\n", u)
	}
	if err != nil || !rep.OK() || rep.Signature == archive.SignatureInvalid {
		n := len(rep.Problems)
		if n == 0 && err != nil {
			fmt.Fprintf(c.stderr, "coachsite verify: %v\n", err)
		} else {
			fmt.Fprintf(c.stderr, "coachsite verify: FAILED: %s\n", diag.Count(n, "problem"))
		}
		return exitContent
	}
	fmt.Fprintln(c.stdout, "OK")
	return exitOK
}

func (c *cli) keygen(args []string) int {
	fs := c.flags("keygen")
	pos, st := c.parseInterspersed(fs, args, 1)
	if st >= 0 {
		return st
	}
	if len(pos) != 1 {
		fmt.Fprintln(c.stderr, "coachsite keygen: name the key, e.g. coachsite keygen acme")
		fs.Usage()
		return exitUsage
	}
	priv, pubPath := pos[0]+".key", pos[0]+".pub"
	pub, err := archive.WriteKeyFiles(priv, pubPath, nil)
	if err != nil {
		return c.fail("keygen", err)
	}
	fmt.Fprintf(c.stdout, "wrote %s (secret: keep it safe) and %s (give it to whoever checks archives)\nkey %s\n", priv, pubPath, archive.Fingerprint(pub))
	return exitOK
}
