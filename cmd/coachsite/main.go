// Command coachsite turns a folder of coaching-session notes into a static
// site of private client portals.
//
// Usage:
//
//	coachsite build [--content DIR] [--out DIR] [--force] [--drafts] [--secrets FILE] [--quiet | --verbose]
//	coachsite check [--content DIR] [--drafts] [--secrets FILE] [--out DIR]
//	coachsite serve [--content DIR] [--port N] [--drafts] [--sealed [--secrets FILE]]
//	coachsite new site DIR | client SLUG | session CLIENT
//	coachsite passphrase CLIENT [--sponsor] | --coach [--rotate] [--secrets FILE]
//	coachsite share CLIENT [-o FILE] [--with-passphrase]
//	coachsite archive CLIENT | --all [-o FILE] [--force] [--sign KEY] [--unsealed]
//	coachsite verify FILE.zip [--key PUB]
//	coachsite keygen NAME
//	coachsite version
//	coachsite help [COMMAND]
//
// Exit status: 0 on success, 1 when the content has errors, 2 on wrong usage.
// Content errors are printed to standard error one per line as
// PATH:LINE: message.
//
// This package holds the command line only; the work is done by the
// packages under generator/.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
