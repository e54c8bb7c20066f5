package main

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/coachsite/coachsite/generator/checkin"
	"github.com/coachsite/coachsite/generator/pipeline"
)

// stdin is where `coachsite import -` reads; tests replace it.
var stdin io.Reader = os.Stdin

func (c *cli) importCheckIn(args []string) int {
	fs := c.flags("import")
	var o pipeline.ImportOptions
	fs.StringVar(&o.Content, "content", "content", "the content `folder` to write the draft into")
	fs.StringVar(&o.Client, "client", "", "refuse the check-in unless it came from this `client`'s portal")
	c.secretsFlag(fs, &o.Options)
	pos, st := c.parseInterspersed(fs, args, 1)
	if st >= 0 {
		return st
	}
	if len(pos) != 1 {
		fmt.Fprintln(c.stderr, "coachsite import: name one FILE holding the check-in block, or - to read it from standard input")
		fs.Usage()
		return exitUsage
	}
	var r io.Reader = stdin
	if pos[0] != "-" {
		f, err := os.Open(pos[0])
		if err != nil {
			return c.fail("import", err)
		}
		defer f.Close()
		r = f
	}
	// A block is a few kilobytes; a pasted e-mail around it a little more.
	data, err := io.ReadAll(io.LimitReader(r, 4*checkin.MaxBlock))
	if err != nil {
		return c.fail("import", err)
	}
	imp, err := pipeline.Import(o, string(data))
	if err != nil {
		if imp.Text != nil {
			fmt.Fprintf(c.stderr, "the check-in from %s's portal reads:\n", imp.Client)
			for i, line := range bytes.Split(bytes.TrimSuffix(imp.Text, []byte("\n")), []byte("\n")) {
				fmt.Fprintf(c.stderr, "%4d | %s\n", i+1, line)
			}
		}
		return c.fail("import", err)
	}
	fmt.Fprintf(c.stdout, "%s\n", imp.Path)
	fmt.Fprintf(c.stderr, "imported %s's check-in of %s as a draft: review it, then build with --drafts to see it, and remove draft: true to publish it.\n",
		imp.Client, imp.Made.Local().Format("2 January 2006 15:04"))
	return exitOK
}
