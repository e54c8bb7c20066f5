package serve_test

import (
	"bufio"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coachsite/coachsite/generator/pipeline"
	"github.com/coachsite/coachsite/generator/serve"
)

var (
	foreignHosts = []string{
		"evil.example", "evil.example:8080", "127.0.0.1.evil.example", "127.0.0.1.evil.example:1313",
		"localhost.evil", "localhost.evil:80", "evil.localhost", "localhost.", "0.0.0.0", "0.0.0.0:1313",
		"192.168.1.10", "10.0.0.1:80", "[::]", "[fe80::1%25lo]:80", "2130706433", "0x7f000001",
		"127.1", "", "[::2]:80", "localhost:x", "localhost:80@evil.example", "xn--localhost-.example",
	}
	localHosts = []string{
		"localhost", "localhost:1313", "LOCALHOST:1313", "127.0.0.1", "127.0.0.1:1313",
		"127.8.9.10:80", "[::1]", "[::1]:1313", "::1", "[::ffff:127.0.0.1]:1313",
	}
)

// builtHeaders builds the example site and returns the headers its
// _headers file gives every path.
func builtHeaders(t *testing.T) map[string]string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "public")
	if _, err := pipeline.Build(pipeline.Options{Content: filepath.Join("..", "..", "content"), Out: out}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(out, "_headers"))
	if err != nil {
		t.Fatal(err)
	}
	hs := map[string]string{}
	for _, l := range strings.Split(string(b), "\n") {
		if name, value, ok := strings.Cut(strings.TrimSpace(l), ": "); ok {
			hs[name] = value
		}
	}
	if len(hs) < 5 {
		t.Fatalf("_headers holds %d headers:\n%s", len(hs), b)
	}
	return hs
}

func TestServeAnswersLocalHostsOnly(t *testing.T) {
	s, err := serve.New(serve.Options{Content: copyContent(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	want := builtHeaders(t)
	for _, host := range append(append([]string{}, foreignHosts...), localHosts...) {
		for _, p := range []string{"/", "/clients/" + client + "/", "/__coachsite/errors", "/nothing-here"} {
			r := httptest.NewRequest(http.MethodGet, p, nil)
			r.Host = host
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			local := false
			for _, h := range localHosts {
				local = local || h == host
			}
			switch {
			case local && w.Code == http.StatusMisdirectedRequest:
				t.Errorf("Host %q %s: refused", host, p)
			case !local && (w.Code != http.StatusMisdirectedRequest || strings.Contains(w.Body.String(), "<html")):
				t.Errorf("Host %q %s: %d, want 421\n%.200s", host, p, w.Code, w.Body.String())
			}
			for name, value := range want {
				if got := w.Header().Get(name); got != value {
					t.Errorf("Host %q %s: %s = %q, the build's _headers say %q", host, p, name, got, value)
				}
			}
		}
	}
}

// TestServeRefusesForeignHostOnTheWire sends raw requests to a running
// preview, as a DNS-rebinding page would.
func TestServeRefusesForeignHostOnTheWire(t *testing.T) {
	base := start(t, copyContent(t))
	addr := strings.TrimSuffix(strings.TrimPrefix(base, "http://"), "/")
	for host, want := range map[string]int{
		"evil.example": 421, "127.0.0.1.evil.example:" + addr[strings.LastIndex(addr, ":")+1:]: 421,
		"localhost.evil": 421, addr: 200, "localhost": 200,
	} {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Write([]byte("GET /clients/" + client + "/ HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")); err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		c.Close()
		if resp.StatusCode != want {
			t.Errorf("Host %q: %d, want %d", host, resp.StatusCode, want)
		}
		if resp.Header.Get("Content-Security-Policy") == "" || resp.Header.Get("X-Robots-Tag") == "" {
			t.Errorf("Host %q: security headers missing: %v", host, resp.Header)
		}
	}
}
