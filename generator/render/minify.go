package render

import (
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/js"
	"github.com/tdewolff/parse/v2"
)

// minifier minifies a theme's stylesheets and scripts as they are read:
// clients read on phones, where every kilobyte before the first paint (and
// before a sealed page's form is ready) is felt.
var minifier = func() *minify.M {
	m := minify.New()
	m.AddFunc("text/css", css.Minify)
	m.AddFunc("text/javascript", js.Minify)
	return m
}()

// minifyAsset returns the asset at p (a theme path such as
// "assets/js/site.js") minified when it is a stylesheet or a script of the
// theme's own: files under assets/vendor/ and files named *.min.css or
// *.min.js are published as they are. A script that does not parse is an
// error naming its line: the browser would not run it either.
func minifyAsset(p string, b []byte) ([]byte, error) {
	var typ string
	switch path.Ext(p) {
	case ".css":
		typ = "text/css"
	case ".js":
		typ = "text/javascript"
	default:
		return b, nil
	}
	base := path.Base(p)
	if strings.HasPrefix(p, "assets/vendor/") || strings.HasSuffix(base, ".min.css") || strings.HasSuffix(base, ".min.js") {
		return b, nil
	}
	out, err := minifier.Bytes(typ, b)
	if err != nil {
		var pe *parse.Error
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("theme: %s:%d: %s", p, pe.Line, pe.Message)
		}
		return nil, fmt.Errorf("theme: %s: %w", p, err)
	}
	return out, nil
}
