package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/coachsite/coachsite/generator/seal"
)

// pinSiteSecret is `coachsite passphrase --site-secret`: it records a
// site_secret in the secrets file if it has none, the one today's portal
// addresses come from when the file has a coach passphrase.
func (c *cli) pinSiteSecret(file string) int {
	how, err := seal.PinSiteSecret(file)
	if err != nil {
		return c.fail("passphrase", err)
	}
	switch how {
	case seal.SiteSecretKept:
		fmt.Fprintf(c.stderr, "%s already has a site_secret; nothing changed.\n", file)
	case seal.SiteSecretImplied:
		fmt.Fprintf(c.stderr, "recorded in %s the site_secret that its coach passphrase implied: every portal keeps its address, and changing the coach's passphrase no longer moves them.\n", file)
	default:
		fmt.Fprintf(c.stderr, "recorded a new random site_secret in %s (mode 0600).\n", file)
	}
	return exitOK
}

// printSiteSecret is `coachsite passphrase --site-secret --print`, for
// secrets kept in the environment (CI): it prints the site secret to set as
// $COACHSITE_SITE_SECRET (or as site_secret in $COACHSITE_SECRETS) — the
// one already set, else the one the coach's passphrase implied (what builds
// without a site secret used, so no address moves), else a new random one —
// and says on stderr which.
func (c *cli) printSiteSecret() int {
	secret, how := os.Getenv(seal.EnvSiteSecret), "$"+seal.EnvSiteSecret+" is already set; it is"
	coach := os.Getenv(seal.EnvCoach)
	if y, ok := os.LookupEnv(seal.EnvSecrets); ok {
		s, err := seal.ParseSecrets([]byte(y), "$"+seal.EnvSecrets)
		if err != nil {
			return c.fail("passphrase", err)
		}
		secret, coach, how = s.SiteSecret, s.Coach, "$"+seal.EnvSecrets+" already has a site_secret; it is"
	}
	switch {
	case strings.TrimSpace(secret) != "":
		secret = strings.TrimSpace(secret)
	case strings.TrimSpace(coach) != "":
		secret, how = seal.ImpliedSiteSecret(coach), "the site secret the coach's passphrase implied (every portal keeps its address):"
	default:
		secret, how = seal.GenerateSiteSecret(), "no coach passphrase is set: a new random site secret:"
	}
	fmt.Fprintf(c.stderr, "%s set it as $%s (or site_secret in $%s), privately like a passphrase.\n", how, seal.EnvSiteSecret, seal.EnvSecrets)
	fmt.Fprintln(c.stdout, secret)
	return exitOK
}
