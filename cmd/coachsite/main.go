// Command coachsite turns a folder of coaching-session notes into a static
// site of private client portals.
//
// Usage:
//
//	coachsite build [--content DIR] [--out DIR] [--drafts]
//	coachsite check [--content DIR] [--drafts]
//	coachsite version
//	coachsite help [COMMAND]
//
// Exit status: 0 on success, 1 when the content has errors, 2 on wrong usage.
// Content errors are printed to standard error one per line as
// PATH:LINE: message.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
