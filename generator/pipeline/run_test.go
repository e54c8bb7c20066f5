package pipeline_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/pipeline"
)

// An encrypted build reports progress by clients finished, never more than
// there are; check reads the secrets but leaves the key cache as it was.
func TestProgressCountsClientsAndCheckWritesNothing(t *testing.T) {
	content := privSite(t, privExample(), model.Encrypted)
	sec := writeSecrets(t, content)
	n := len(loadSite(t, content).Clients)

	var last, calls int
	o := pipeline.Options{Content: content, Out: filepath.Join(t.TempDir(), "public"), Secrets: sec.File, Environ: []string{},
		Progress: func(done, total int) {
			if total != 0 && (total != n || done > total) {
				t.Errorf("progress %d of %d; the site has %d clients", done, total, n)
			}
			last = done
			calls++
		}}
	if _, err := pipeline.Build(o); err != nil {
		t.Fatal(err)
	}
	if last != n || calls != n+1 {
		t.Errorf("progress ended at %d after %d calls; want %d after %d", last, calls, n, n+1)
	}

	// The build wrote the key cache; a build would write it again.
	cache := sec.File + ".keys"
	if err := os.Remove(cache); err != nil {
		t.Fatal(err)
	}
	if _, err := pipeline.Check(pipeline.Options{Content: content, Secrets: sec.File, Environ: []string{}}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(cache); err == nil {
		t.Errorf("check wrote the key cache %s", cache)
	}
}
