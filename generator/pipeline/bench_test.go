package pipeline_test

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/coachsite/coachsite/generator/pipeline"
	"github.com/coachsite/coachsite/internal/testsite"
)

// BenchmarkBuildCorpus builds the generated benchmark corpus end to end:
// load, derive, charts, render and write. It uses 50 clients × 20 sessions;
// COACHSITE_BENCH_CLIENTS=500 gives the 10,000-session corpus the
// performance targets are set on (docs/benchmarks.md).
func BenchmarkBuildCorpus(b *testing.B) {
	clients := benchClients()
	content := testsite.Corpus(b, clients, 20)
	out := filepath.Join(b.TempDir(), "public")
	b.ResetTimer()
	for b.Loop() {
		if _, err := pipeline.Build(pipeline.Options{Content: content, Out: out}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*clients*20), "µs/session")
}

// BenchmarkCheckCorpus is BenchmarkBuildCorpus for coachsite check.
func BenchmarkCheckCorpus(b *testing.B) {
	content := testsite.Corpus(b, benchClients(), 20)
	b.ResetTimer()
	for b.Loop() {
		if _, err := pipeline.Check(pipeline.Options{Content: content}); err != nil {
			b.Fatal(err)
		}
	}
}

// benchClients is the number of clients of the benchmark corpus: 50, or
// $COACHSITE_BENCH_CLIENTS.
func benchClients() int {
	if n, err := strconv.Atoi(os.Getenv("COACHSITE_BENCH_CLIENTS")); err == nil && n > 0 {
		return n
	}
	return 50
}
