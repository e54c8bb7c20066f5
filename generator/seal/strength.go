package seal

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn"
	"golang.org/x/text/unicode/norm"
)

// Passphrase strength bar: see CheckPassphrase.
const (
	// MinPassphraseRunes is the shortest passphrase accepted, in characters.
	MinPassphraseRunes = 12
	// MinPassphraseGuesses is the bar: zxcvbn's estimate of the guesses an
	// attacker who knows common passwords, words, names, dates, keyboard
	// patterns and this site's own words needs. At 600,000 PBKDF2-SHA256
	// iterations a current high-end GPU tries about 1.5×10^4 passphrases a
	// second, so 10^14 guesses are about 200 GPU-years (docs/privacy.md).
	MinPassphraseGuesses = 1e14
	// strengthRunes is how much of a passphrase the estimate looks at:
	// zxcvbn's matching grows faster than linearly, and a passphrase whose
	// first 100 characters are weak is weak.
	strengthRunes = 100
)

// NormalizePassphrase is the one rule both sides apply to a passphrase
// before deriving a key: Unicode NFC, then white space trimmed at both ends
// as JavaScript's String.prototype.trim does (unlock.js runs
// `.normalize('NFC').trim()` on what is typed). CheckPassphrase refuses any
// passphrase this changes, so a build never derives a key from a
// passphrase the browser cannot reproduce.
func NormalizePassphrase(p string) string {
	return strings.TrimFunc(norm.NFC.String(p), isJSSpace)
}

// isJSSpace reports whether JavaScript's trim removes r: its WhiteSpace
// (tab, vertical tab, form feed, U+FEFF and every space separator) and
// LineTerminator (LF, CR, U+2028, U+2029) characters.
func isJSSpace(r rune) bool {
	switch r {
	case '\t', '\v', '\f', '\n', '\r', 0xFEFF, 0x2028, 0x2029:
		return true
	}
	return unicode.Is(unicode.Zs, r)
}

// invisible reports whether r shows nothing (or nothing reliable) when
// typed or read: control and format characters (zero-width spaces and
// joiners, the byte order mark, direction marks, the soft hyphen), spaces
// other than U+0020, line and paragraph separators, variation selectors and
// the other default-ignorable code points, private-use characters and
// unassigned or invalid ones. A passphrase holding one cannot be read out or
// typed reliably.
func invisible(r rune) bool {
	switch {
	case r == ' ':
		return false
	case r == utf8.RuneError, !unicode.IsPrint(r): // every C* and Z* but U+0020
		return true
	}
	return unicode.In(r, unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point) ||
		r == 0x115F || r == 0x1160 || r == 0x3164 || r == 0xFFA0 // Hangul fillers
}

// PassphraseGuesses is zxcvbn's estimate (github.com/trustelem/zxcvbn, a Go
// port of Dropbox's zxcvbn) of the guesses needed to find p, for an
// attacker who also tries siteWords: the names, organizations, slugs, site
// title and area labels of the site (see SiteWords). It looks at the first
// 100 characters.
func PassphraseGuesses(p string, siteWords []string) float64 {
	if utf8.RuneCountInString(p) > strengthRunes {
		p = string([]rune(p)[:strengthRunes])
	}
	return zxcvbn.PasswordStrength(p, siteWords).Guesses
}

// SiteWords turns texts of a site (client names, the coach's name,
// organizations, slugs, the site title, area labels) into the words an
// attacker would try first: each text in lower case, its words of three or
// more letters, each two neighbouring words run together ("harbourlight")
// and all its words run together ("annaberg").
func SiteWords(texts ...string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(w string) {
		if utf8.RuneCountInString(w) >= 3 && !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	for _, t := range texts {
		t = strings.ToLower(norm.NFC.String(strings.TrimSpace(t)))
		words := strings.FieldsFunc(t, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		add(t)
		for i, w := range words {
			add(w)
			if i > 0 {
				add(words[i-1] + w)
			}
		}
		if len(words) > 2 {
			add(strings.Join(words, ""))
		}
	}
	return out
}

// CheckPassphrase reports why a passphrase is refused, or nil. It must be
// exactly what a person can type in the browser: in Unicode NFC, without
// white space at either end (NormalizePassphrase changes nothing), and
// without invisible characters (zero-width or non-breaking spaces, a byte
// order mark, control or format characters). It must be at least
// MinPassphraseRunes characters with 5 distinct ones, and PassphraseGuesses
// with the site's words must reach MinPassphraseGuesses. Errors never
// quote the passphrase.
func CheckPassphrase(p string, siteWords ...string) error {
	if !utf8.ValidString(p) {
		return errors.New("passphrase is not valid UTF-8")
	}
	for _, r := range p {
		if invisible(r) {
			return fmt.Errorf("passphrase holds an invisible or non-printing character (U+%04X); type it again without it", r)
		}
	}
	if t := strings.TrimFunc(p, isJSSpace); t != p {
		return errors.New("passphrase starts or ends with white space, which the browser drops from what is typed: remove it")
	}
	if !norm.NFC.IsNormalString(p) {
		return errors.New("passphrase is not in Unicode NFC (an accent written as a separate combining mark, e.g. e + ◌́): the browser turns what is typed into NFC, so write accented letters as single characters")
	}
	rs := []rune(p)
	if len(rs) < MinPassphraseRunes {
		return fmt.Errorf("passphrase too short (%d characters; want at least %d)", len(rs), MinPassphraseRunes)
	}
	distinct := map[rune]bool{}
	for _, r := range rs {
		distinct[unicode.ToLower(r)] = true
	}
	if len(distinct) < 5 {
		return fmt.Errorf("passphrase too repetitive (%d distinct characters)", len(distinct))
	}
	if g := PassphraseGuesses(p, siteWords); g < MinPassphraseGuesses {
		return fmt.Errorf("passphrase too guessable (about 10^%.0f guesses; want 10^%.0f: avoid names, words of the site, years and common passwords, make it longer, or use `coachsite passphrase`)",
			math.Floor(math.Log10(max(g, 1))), math.Log10(MinPassphraseGuesses))
	}
	return nil
}
