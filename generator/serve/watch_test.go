package serve

import (
	"context"
	"slices"
	"testing"
)

func TestCoalesceGathersABurst(t *testing.T) {
	paths := make(chan string, 8)
	for _, p := range []string{"c/b.md", "c/a.md", "c/b.md.tmp", "c/b.md"} {
		paths <- p
	}
	close(paths)
	var calls [][]string
	coalesce(context.Background(), paths, func(ch []string) { calls = append(calls, ch) })
	want := [][]string{{"c/a.md", "c/b.md", "c/b.md.tmp"}}
	if !slices.EqualFunc(calls, want, slices.Equal) {
		t.Errorf("applied %q, want one burst %q", calls, want)
	}
}

func TestCoalesceStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	called := false
	coalesce(ctx, make(chan string), func([]string) { called = true })
	if called {
		t.Error("applied with no change")
	}
}
