package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/coachsite/coachsite/generator/output"
	"github.com/coachsite/coachsite/generator/seal"
)

func (c *cli) passphrase(args []string) int {
	fs := c.flags("passphrase")
	coach := fs.Bool("coach", false, "create the coach's passphrase (opens every portal and the dashboard)")
	sponsor := fs.Bool("sponsor", false, "create the passphrase of CLIENT's sponsor (opens that client's engagement summary only)")
	file := fs.String("secrets", "", "the secrets `file` to record it in (default: secrets.yaml beside the content folder, where a build looks; created with mode 0600; keep it out of version control)")
	content := fs.String("content", "content", "the content `folder`, to check that CLIENT exists")
	rotate := fs.Bool("rotate", false, "replace a passphrase already recorded: after the next build the old one opens nothing, and no other reader's changes")
	siteSecret := fs.Bool("site-secret", false, "record a site_secret in the secrets file if it has none: the one its coach passphrase implies, so no portal address moves (a new random one otherwise)")
	printOnly := fs.Bool("print", false, "with --site-secret: write nothing, print the site secret to set as $"+seal.EnvSiteSecret+" (the one $"+seal.EnvSecrets+" or $"+seal.EnvCoach+" implies)")
	// Flags may come before or after CLIENT.
	var rest []string
	for {
		if st := c.parse(fs, args, 1<<30); st >= 0 {
			return st
		}
		if fs.NArg() == 0 {
			break
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
	switch {
	case *siteSecret && (*coach || *sponsor || *rotate || len(rest) > 0):
		fmt.Fprintln(c.stderr, "coachsite passphrase: --site-secret takes no CLIENT, --coach, --sponsor or --rotate")
		return exitUsage
	case *printOnly && !*siteSecret:
		fmt.Fprintln(c.stderr, "coachsite passphrase: --print goes with --site-secret")
		return exitUsage
	case *siteSecret && *printOnly:
		return c.printSiteSecret()
	case *coach && (len(rest) > 0 || *sponsor):
		fmt.Fprintln(c.stderr, "coachsite passphrase: give either CLIENT [--sponsor] or --coach, not both")
		return exitUsage
	case !*coach && !*siteSecret && len(rest) != 1:
		fs.Usage()
		return exitUsage
	}
	if *file == "" {
		*file = seal.SecretsBeside(*content)
	}
	if output.Within(*content, *file) {
		fmt.Fprintf(c.stderr, "coachsite passphrase: %s is inside the content folder %s; keep secrets outside content/ and public/\n", *file, *content)
		return exitUsage
	}
	if *siteSecret {
		return c.pinSiteSecret(*file)
	}
	role, slug, who := seal.RoleCoach, "", "the coach"
	if !*coach {
		role, slug = seal.RoleClient, rest[0]
		who = fmt.Sprintf("client %q", slug)
		if *sponsor {
			role, who = seal.RoleSponsor, fmt.Sprintf("the sponsor of client %q", slug)
		}
		if fi, err := os.Stat(*content); err == nil && fi.IsDir() {
			if fi, err := os.Stat(filepath.Join(*content, "clients", slug)); err != nil || !fi.IsDir() {
				fmt.Fprintf(c.stderr, "coachsite passphrase: no client %q: %s has no folder clients/%s\n", slug, *content, slug)
				return exitContent
			}
		}
	}
	_, existed := os.Stat(*file)
	had := false
	if existed == nil {
		s, err := seal.LoadSecretsFile(*file)
		if err != nil {
			return c.fail("passphrase", err)
		}
		had = s.Passphrase(role, slug) != ""
	}
	switch {
	case had && !*rotate:
		fmt.Fprintf(c.stderr, "coachsite passphrase: %s already has a passphrase in %s; give --rotate to replace it\n", who, *file)
		return exitUsage
	case !had && *rotate:
		fmt.Fprintf(c.stderr, "coachsite passphrase: %s has no passphrase in %s to rotate; leave out --rotate to create one\n", who, *file)
		return exitUsage
	}
	p := seal.GeneratePassphrase()
	if err := seal.SetPassphrase(*file, role, slug, p); err != nil {
		return c.fail("passphrase", err)
	}
	fmt.Fprintf(c.stdout, "%s\n", p)
	if had {
		fmt.Fprintf(c.stderr, "replaced the passphrase of %s in %s (%d bits): after the next build the old one opens nothing; no other reader's passphrase or portal address changes. Give the new one to them by a private channel.\n", who, *file, seal.PassphraseBits)
	} else {
		fmt.Fprintf(c.stderr, "recorded the passphrase of %s in %s (%d bits); give it to them by a private channel.\n", who, *file, seal.PassphraseBits)
	}
	if existed != nil {
		fmt.Fprintf(c.stderr, "created %s (mode 0600): keep it and %s.keys out of version control and out of public/.\n", *file, *file)
	}
	return exitOK
}
