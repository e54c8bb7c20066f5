package seal

import (
	"crypto/rand"
	_ "embed"
	"encoding/base32"
	"math"
	"math/big"
	"strings"
	"unicode"
)

//go:embed wordlist.txt
var wordlistText string

// wordlist is the 1024 words (3 to 6 lowercase letters) passphrases are
// drawn from; a test checks there are exactly 1024 distinct ones.
var wordlist = strings.Fields(wordlistText)

// PassphraseWords is the number of words in a generated passphrase.
const PassphraseWords = 8

// PassphraseBits is the entropy of a generated passphrase: PassphraseWords
// words drawn uniformly and independently from 1024, so 8 × 10 = 80 bits.
const PassphraseBits = PassphraseWords * 10

// GeneratePassphrase returns a new random passphrase of PassphraseWords
// common English words joined by '-', e.g.
// "maple-river-quiet-lamp-north-seven-bread-tiger" (80 bits), drawn with
// crypto/rand. It is easy to read out and to type on a phone.
func GeneratePassphrase() string {
	words := make([]string, PassphraseWords)
	n := big.NewInt(int64(len(wordlist)))
	for i := range words {
		j, err := rand.Int(rand.Reader, n)
		if err != nil {
			panic(err) // crypto/rand does not fail on supported platforms
		}
		words[i] = wordlist[j.Int64()]
	}
	return strings.Join(words, "-")
}

// GenerateSiteSecret returns a new random site_secret: 32 lowercase base32
// characters (160 bits).
func GenerateSiteSecret() string {
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return strings.ToLower(base32.StdEncoding.EncodeToString(b))
}

// commonWords are parts of weak passwords that count as little entropy
// wherever they appear (after undoing common digit-for-letter swaps).
var commonWords = []string{
	"password", "passwort", "qwerty", "azerty", "qwertz", "letmein", "welcome",
	"admin", "login", "iloveyou", "monkey", "dragon", "sunshine", "princess",
	"football", "baseball", "master", "shadow", "secret", "changeme",
	"default", "trustno", "coaching", "coach", "client", "summer", "winter",
	"spring", "autumn", "hello", "love", "pass",
}

// keyboardRows are sequences typed by sliding along the keyboard.
var keyboardRows = []string{"1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "abcdefghijklmnopqrstuvwxyz"}

// EstimateBits is a simple, deliberately pessimistic estimate of a
// passphrase's entropy in bits: the effective length times log2 of the size
// of the character classes used (lowercase 26, uppercase 26, digits 10,
// ASCII symbols and space 33, anything else 100). The effective length
// counts a whole repeated passphrase ("abcabc") once, a doubled character
// as half, a year ("2024") as 1 character, a run of a repeated
// character or of a keyboard or alphabet sequence of 3 or more ("aaaa",
// "1234", "qwer", "cba") as 1 character, and a common password word
// ("password", "qwerty", "summer", ...) as 2.
func EstimateBits(p string) float64 {
	rs := []rune(p)
	if len(rs) == 0 {
		return 0
	}
	var lower, upper, digit, symbol, other bool
	for _, r := range rs {
		switch {
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= '0' && r <= '9':
			digit = true
		case r < 128:
			symbol = true
		default:
			other = true
		}
	}
	pool := 0
	for _, c := range []struct {
		on bool
		n  int
	}{{lower, 26}, {upper, 26}, {digit, 10}, {symbol, 33}, {other, 100}} {
		if c.on {
			pool += c.n
		}
	}
	return effectiveLength(rs) * math.Log2(float64(pool))
}

func effectiveLength(rs []rune) float64 {
	low := make([]rune, len(rs))
	for i, r := range rs {
		low[i] = unicode.ToLower(r)
	}
	// A passphrase that is a shorter one repeated counts once.
	for d := 1; d < len(low); d++ {
		periodic := true
		for i := d; i < len(low); i++ {
			if low[i] != low[i-d] {
				periodic = false
				break
			}
		}
		if periodic {
			low = low[:d]
			break
		}
	}
	s := string(unleet(low))
	cost := make([]float64, len(low)) // what each character adds
	for i := range cost {
		cost[i] = 1
	}
	// Common words: 2 characters' worth, wherever they are.
	for _, w := range commonWords {
		for from := 0; ; {
			k := strings.Index(s[from:], w)
			if k < 0 {
				break
			}
			at := from + k // s is ASCII-mapped rune for rune, see unleet
			for j := at; j < at+len(w); j++ {
				cost[j] = 0
			}
			cost[at], cost[at+1] = 1, 1
			from = at + len(w)
		}
	}
	// Years (19xx, 20xx): 1 character's worth.
	for i := 0; i+4 <= len(low); i++ {
		century := string(low[i : i+2])
		if (century == "19" || century == "20") && isDigit(low[i+2]) && isDigit(low[i+3]) {
			cost[i+1], cost[i+2], cost[i+3] = 0, 0, 0
		}
	}
	// A doubled character: half a character's worth.
	for i := 1; i < len(low); i++ {
		if low[i] == low[i-1] && cost[i] > 0.5 {
			cost[i] = 0.5
		}
	}
	// Runs of a repeated character or of a sequence: 1 character's worth.
	for i := 2; i < len(low); i++ {
		if inRun(low[i-2], low[i-1], low[i]) {
			cost[i], cost[i-1] = 0, 0
		}
	}
	n := 0.0
	for _, c := range cost {
		n += c
	}
	return n
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// unleet maps runes to ASCII lowercase letters for the common-word search,
// one byte per rune so indexes agree with the rune slice: digit swaps become
// letters, anything not ASCII becomes '?'.
func unleet(rs []rune) []byte {
	b := make([]byte, len(rs))
	for i, r := range rs {
		switch r {
		case '0':
			r = 'o'
		case '1', '!':
			r = 'i'
		case '3':
			r = 'e'
		case '4', '@':
			r = 'a'
		case '5', '$':
			r = 's'
		case '7':
			r = 't'
		}
		if r >= 128 {
			r = '?'
		}
		b[i] = byte(r)
	}
	return b
}

// inRun reports whether a, b, c are one repeated character or three
// consecutive characters of a keyboard row or the alphabet, either way.
func inRun(a, b, c rune) bool {
	if a == b && b == c {
		return true
	}
	tri := string([]rune{a, b, c})
	rev := string([]rune{c, b, a})
	for _, row := range keyboardRows {
		if strings.Contains(row, tri) || strings.Contains(row, rev) {
			return true
		}
	}
	return false
}
