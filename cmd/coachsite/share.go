package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/output"
	"github.com/coachsite/coachsite/generator/pipeline"
)

func (c *cli) share(args []string) int {
	fs := c.flags("share")
	var o pipeline.ShareOptions
	var out, public string
	fs.StringVar(&o.Content, "content", "content", "the content `folder` to read")
	fs.StringVar(&out, "o", "", "the hand-over sheet `file` to write (default handover-CLIENT.html here); never inside the content or output folder")
	fs.StringVar(&public, "out", "public", "the site's output `folder`, where the sheet may not go")
	fs.BoolVar(&o.Passphrase, "with-passphrase", false, "put the client's passphrase on the sheet (by default it is left off: send it by another channel)")
	fs.BoolVar(&o.Drafts, "drafts", false, "include sessions marked draft: true")
	force := fs.Bool("force", false, "replace the -o file even if it is not an HTML page (an earlier sheet)")
	c.secretsFlag(fs, &o.Options)
	pos, st := c.parseInterspersed(fs, args, 1)
	if st >= 0 {
		return st
	}
	if len(pos) != 1 {
		fmt.Fprintln(c.stderr, "coachsite share: name one CLIENT (its folder under content/clients/)")
		fs.Usage()
		return exitUsage
	}
	if out == "" {
		out = "handover-" + pos[0] + ".html"
	}
	for _, dir := range []string{o.Content, public, filepath.Join(filepath.Dir(filepath.Clean(o.Content)), "public")} {
		if output.Within(dir, out) {
			fmt.Fprintf(c.stderr, "coachsite share: %s is inside %s; the sheet names the client and must not be published: write it elsewhere (-o FILE)\n", out, dir)
			return exitUsage
		}
	}
	if err := output.CheckReplace(out, *force, isHTMLPage, "a hand-over sheet"); err != nil {
		fmt.Fprintf(c.stderr, "coachsite share: %v\n", err)
		return exitUsage
	}
	h, err := pipeline.Share(o, pos[0])
	if err != nil {
		return c.fail("share", err)
	}
	// Mode 0600: the sheet names the client, and may hold the passphrase.
	if err := output.ReplaceFile(out, h.Sheet, 0o600, *force, isHTMLPage, "a hand-over sheet"); err != nil {
		return c.fail("share", err)
	}
	fmt.Fprintln(c.stdout, h.Address)
	if !h.Full {
		fmt.Fprintf(c.stderr, "the address is the portal's folder in the published site; give base_url in site.yaml for the full address and a QR code on the sheet.\n")
	}
	what := "without the passphrase: send it by another channel"
	switch {
	case o.Passphrase:
		what = "WITH the passphrase: keep the sheet private, hand it over in person"
	case h.Privacy != model.Encrypted:
		what = "(" + string(h.Privacy) + " site: no passphrase)"
	}
	fmt.Fprintf(c.stderr, "wrote the hand-over sheet %s, %s.\n", out, what)
	return exitOK
}

// isHTMLPage reports whether the file name starts as an HTML page does: an
// earlier hand-over sheet, as far as can be told, which share may replace.
func isHTMLPage(name string) bool {
	f, err := os.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 64)
	n, _ := io.ReadFull(f, head)
	return bytes.HasPrefix(bytes.ToLower(bytes.TrimSpace(head[:n])), []byte("<!doctype html"))
}
