package serve

import (
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/coachsite/coachsite/generator/render"
)

// localHost reports whether host, the Host header of a request, names this
// machine: localhost or a loopback address (127.0.0.0/8, ::1), with a port
// or without. A page of another site that has made its name resolve to
// 127.0.0.1 (DNS rebinding) sends its own name, and is refused: the
// preview serves portals unsealed.
func localHost(host string) bool {
	if h, port, err := net.SplitHostPort(host); err == nil {
		if strings.Trim(port, "0123456789") != "" {
			return false
		}
		host = h
	} else if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		host = host[1 : len(host)-1]
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.Zone() == "" && a.Unmap().IsLoopback()
}

// guard answers a request whose Host does not name this machine with 421
// Misdirected Request; it reports whether it did. Every answer, that one
// included, carries the security headers of a built site.
func guard(w http.ResponseWriter, r *http.Request) bool {
	h := w.Header()
	for _, sh := range render.SecurityHeaders() {
		h.Set(sh.Name, sh.Value)
	}
	if localHost(r.Host) {
		return false
	}
	http.Error(w, "coachsite serve answers only requests for localhost or a loopback address", http.StatusMisdirectedRequest)
	return true
}
