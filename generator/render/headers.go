package render

import "strings"

// Header is one HTTP response header.
type Header struct{ Name, Value string }

// SecurityHeaders returns the HTTP headers every response of a site
// carries: the build writes them into the _headers file (Netlify,
// Cloudflare Pages), and the preview server sends them. Pages also carry
// the Content-Security-Policy and noindex in <meta> tags, for hosts that
// ignore _headers.
func SecurityHeaders() []Header {
	return []Header{
		{"Content-Security-Policy", CSP + "; frame-ancestors 'none'"},
		{"Referrer-Policy", "no-referrer"},
		{"X-Robots-Tag", "noindex, nofollow"},
		{"X-Content-Type-Options", "nosniff"},
		{"X-Frame-Options", "DENY"},
		{"Cross-Origin-Opener-Policy", "same-origin"},
		{"Permissions-Policy", "camera=(), microphone=(), geolocation=()"},
	}
}

// headersFile returns the _headers file giving every path of the site the
// SecurityHeaders.
func headersFile() []byte {
	var b strings.Builder
	b.WriteString("/*\n")
	for _, h := range SecurityHeaders() {
		b.WriteString("  " + h.Name + ": " + h.Value + "\n")
	}
	return []byte(b.String())
}
