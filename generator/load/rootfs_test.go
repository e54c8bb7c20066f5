package load

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestReloadRefusesLinksLeaving covers the paths the preview server takes
// after an edit, Client and SessionFile: a session that has become a link
// out of the content folder, or a FIFO, is refused, not read.
func TestReloadRefusesLinksLeaving(t *testing.T) {
	writeTree(t, nil, map[string]string{
		"content/site.yaml":                 "title: T\nareas: [vision]\n",
		"content/clients/kim/_index.md":     "---\nname: Kim\n---\n",
		"content/clients/kim/2026-01-14.md": "---\nratings: {vision: 3}\n---\n",
		"outside.md":                        "---\nratings: {vision: 3}\n---\nOUTSIDE-77\n",
	})
	site := mustLoad(t, Options{})
	link := filepath.Join("content", "clients", "kim", "2026-01-15.md")
	if err := os.Symlink("../../../outside.md", link); err != nil {
		t.Skip(err)
	}
	want := link + ": symlink leaves the content folder"
	if c, errs := Client(site, "content", "kim", Options{}); c != nil || len(errs) != 1 || errs[0].Error() != want {
		t.Errorf("Client: %v %q", c, errs)
	}
	if s, errs := SessionFile(site, site.Clients[0], "content", "clients/kim/2026-01-15.md", Options{}); s != nil || len(errs) != 1 || errs[0].Error() != want {
		t.Errorf("SessionFile: %v %q", s, errs)
	}
	os.Remove(link)
	if err := syscall.Mkfifo(link, 0o644); err != nil {
		t.Skip(err)
	}
	done := make(chan string, 1)
	go func() {
		_, errs := SessionFile(site, site.Clients[0], "content", "clients/kim/2026-01-15.md", Options{})
		done <- strings.TrimSpace(errs.Error())
	}()
	select {
	case got := <-done:
		if got != link+": not a regular file" {
			t.Errorf("SessionFile of a FIFO: %q", got)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("SessionFile hangs on a FIFO")
	}
}
