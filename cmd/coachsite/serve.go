package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"github.com/coachsite/coachsite/generator/serve"
)

func (c *cli) serve(args []string) int {
	fs := c.flags("serve")
	o := serve.Options{Log: c.stdout}
	fs.StringVar(&o.Content, "content", "content", "the content `folder` to read")
	port := fs.Int("port", 1313, "the `port` to listen on, on 127.0.0.1 (0 picks a free one)")
	fs.BoolVar(&o.Drafts, "drafts", false, "include sessions marked draft: true")
	fs.BoolVar(&o.Sealed, "sealed", false, "preview pages sealed as a build seals them (every change then rebuilds the whole site)")
	fs.StringVar(&o.Secrets, "secrets", "", "with --sealed: the secrets `file` (default: the environment, else secrets.yaml beside the content folder)")
	o.SecretsFrom = c.secretsFrom()
	fs.DurationVar(&o.Every, "poll", serve.DefaultInterval, "how often to look for changes")
	if st := c.parse(fs, args, 0); st >= 0 {
		return st
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(*port))
	err := serve.Run(ctx, o, addr, func(url string) {
		fmt.Fprintf(c.stdout, "serving %s (unsealed preview, this machine only); press Ctrl+C to stop\n", url)
	})
	if err != nil {
		return c.fail("serve", err)
	}
	return exitOK
}
