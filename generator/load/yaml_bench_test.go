package load

import (
	"testing"

	"gopkg.in/yaml.v3"
)

// sessionFrontMatter is the front matter of a typical session of the
// benchmark corpus.
const sessionFrontMatter = `title: "Celebrating the wins"
date: 2024-11-17
duration: 75
format: phone
ratings: {vision: 3, service: 4, accountability: 3, community: 6}
time:
  vision: {actual: 30, wished: 15}
  service: {actual: 40, wished: 40}
  accountability: {actual: 10, wished: 25}
  community: {actual: 20, wished: 20}
commitments:
  - {text: Block two mornings a week for deep work, due: 2024-10-31, status: done}
  - {text: Prepare three questions for the board meeting, due: 2024-10-17}
tags: [stakeholders, feedback, transition]
`

// BenchmarkDecodeYAML decodes a session's front matter: "session" as
// decodeYAML does, "node" only parses it into a yaml.Node with yaml.v3, the
// floor for any decoding with yaml.v3.
func BenchmarkDecodeYAML(b *testing.B) {
	src := []byte(sessionFrontMatter)
	b.Run("session", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var m sessionMeta
			if errs, ok := decodeYAML(src, &m, "s.md", 2); len(errs) > 0 || !ok {
				b.Fatal(errs)
			}
		}
	})
	b.Run("node", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var n yaml.Node
			if err := yaml.Unmarshal(src, &n); err != nil {
				b.Fatal(err)
			}
		}
	})
}
