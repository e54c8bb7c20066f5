package pipeline_test

import (
	"path/filepath"
	"testing"

	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/pipeline"
)

// BenchmarkBuildPrivacy builds the example site public and encrypted (the
// key cache warm, as on every rebuild), to show what sealing costs. For the
// 10,000-session corpus and a cold cache, see docs/privacy.md.
func BenchmarkBuildPrivacy(b *testing.B) {
	for _, mode := range []model.Privacy{model.Public, model.Encrypted} {
		b.Run(string(mode), func(b *testing.B) {
			content := privSite(b, privExample(), mode)
			var secrets string
			if mode == model.Encrypted {
				secrets = writeSecrets(b, content).File
			}
			out := filepath.Join(b.TempDir(), "public")
			o := pipeline.Options{Content: content, Out: out, Secrets: secrets, Environ: []string{}}
			if _, err := pipeline.Build(o); err != nil { // fills the key cache
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				if _, err := pipeline.Build(o); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
