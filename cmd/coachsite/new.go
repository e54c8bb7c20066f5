package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/scaffold"
)

func (c *cli) new(args []string) int {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fs := c.flags("new")
		if st := c.parse(fs, args, 0); st >= 0 {
			return st
		}
		fs.Usage()
		return exitUsage
	}
	what, rest := args[0], args[1:]
	fs := c.flags("new")
	content := fs.String("content", "content", "the content `folder`")
	name := fs.String("name", "", "client: the client's `name`")
	areas := fs.String("areas", "", "client: the client's own area `keys`, comma-separated (default: the site's)")
	date := fs.String("date", "", "session: the session's `date`, YYYY-MM-DD (default: today)")
	title := fs.String("title", "", "session: the session's `title`, also used in its file name")
	lang := fs.String("language", "", "site, client: the pages' `language` tag, e.g. de or fr (default: en for a site, the site's for a client)")
	if len(rest) == 0 || strings.HasPrefix(rest[0], "-") {
		fmt.Fprintf(c.stderr, "coachsite new %s: missing argument\n", what)
		fs.Usage()
		return exitUsage
	}
	arg := rest[0]
	if st := c.parse(fs, rest[1:], 0); st >= 0 {
		return st
	}
	var written []string
	var err error
	switch what {
	case "site":
		written, err = scaffold.Site(arg, scaffold.SiteOptions{Language: *lang})
		if err == nil {
			fmt.Fprintf(c.stdout, "created a site in %s; try: cd %s && coachsite serve\n", arg, arg)
		}
	case "client":
		var o scaffold.ClientOptions
		o.Name, o.Language = *name, *lang
		if *areas != "" {
			o.Areas = strings.Split(*areas, ",")
		}
		var p string
		p, err = scaffold.Client(*content, arg, o)
		written = []string{p}
	case "session":
		d := time.Now() // scaffolding is the one place the wall clock is used
		if *date != "" {
			if d, err = time.Parse("2006-01-02", *date); err != nil {
				fmt.Fprintf(c.stderr, "coachsite new session: --date %q is not YYYY-MM-DD\n", *date)
				return exitUsage
			}
		}
		var p string
		p, err = scaffold.Session(*content, arg, scaffold.SessionOptions{Date: model.NewDate(d.Year(), d.Month(), d.Day()), Title: *title})
		written = []string{p}
	default:
		fmt.Fprintf(c.stderr, "coachsite new: unknown kind %q: use site, client or session\n", what)
		return exitUsage
	}
	if err != nil {
		return c.fail("new "+what, err)
	}
	for _, p := range written {
		fmt.Fprintln(c.stdout, "wrote", p)
	}
	return exitOK
}
