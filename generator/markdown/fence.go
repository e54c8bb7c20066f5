package markdown

import (
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// FenceKind is what the info string of a fenced block makes of the block.
type FenceKind int

const (
	// CodeFence is an ordinary code block, shown to every reader.
	CodeFence FenceKind = iota
	// PrivateFence is a coach-only block: its info string is exactly the
	// word private once normalized (see NormalizeInfo).
	PrivateFence
	// NearMissFence is a block whose info string is not exactly private
	// but looks meant to be: a build refuses it rather than publish it.
	NearMissFence
)

// ClassifyInfo tells what the info string info (as it is written after the
// fence, entities and backslash escapes already resolved) makes of a
// fenced block. The rule, also stated for users in docs/content-format.md:
//
//   - PrivateFence when NormalizeInfo(info) is exactly "private";
//   - NearMissFence when it is not, but the info string, or a word of it,
//     read with accents dropped and look-alike Cyrillic and Greek letters
//     taken as Latin, contains privat, privad, prive or coach; starts with
//     priv; is pvt; starts with a word at most two edits (insert, delete,
//     replace, swap two neighbours) from private; is at most one edit from
//     coach; or holds a word for confidential, secret or coach in a
//     language the theme ships (English, German, French, Spanish, Dutch,
//     Portuguese, Arabic), listed in nearMissStems;
//   - CodeFence otherwise.
//
// So ```privacy, two edits from private, is refused too: ambiguity is an
// error, never a publication. Words no longer than four letters other
// than pvt and priv are never near misses, which keeps go, js, sh, text
// and every other short language name ordinary code.
func ClassifyInfo(info string) FenceKind {
	n := NormalizeInfo(info)
	switch {
	case n == "private":
		return PrivateFence
	case n == "":
		return CodeFence
	}
	sk := skeleton(n)
	var core strings.Builder
	nearMiss := false
	for w := range strings.FieldsFuncSeq(sk, func(r rune) bool { return !unicode.IsLetter(r) }) {
		core.WriteString(w)
		nearMiss = nearMiss || wordNearMiss(w)
	}
	if nearMiss || wordNearMiss(core.String()) {
		return NearMissFence
	}
	return CodeFence
}

// nearMissStems are the letters whose presence anywhere in an info string,
// once reduced to its skeleton, says it was meant to mark coach-only
// notes: private and its forms in the theme's languages (privat, privado,
// privé), coach (coach-only, coach notes, coaching notes, Coach-Notizen,
// notes du coach), confidential, secret and coach in those languages, and
// the Arabic words for private (خاص), secret (سري) and coach (مدرب).
var nearMissStems = []string{
	"privat", "privad", "prive",
	"coach", "entrenador", "treinador", "entraineur",
	"confiden", "vertraulich", "vertrouwelijk", "sigilos",
	"secret", "geheim", "segredo",
	"خاص", "سري", "مدرب",
}

// wordNearMiss reports whether w, a word or the letters of an info string
// in skeleton form, looks meant to say private.
func wordNearMiss(w string) bool {
	if w == "pvt" || strings.HasPrefix(w, "priv") {
		return true
	}
	for _, s := range nearMissStems {
		if strings.Contains(w, s) {
			return true
		}
	}
	r := []rune(w)
	if len(r) >= 4 && len(r) <= 6 && editDistance(r, []rune("coach")) <= 1 {
		return true
	}
	for end := 5; end <= len(r) && end <= 9; end++ {
		if editDistance(r[:end], []rune("private")) <= 2 {
			return true
		}
	}
	return false
}

// NormalizeInfo returns info as it is compared with the word private:
// Unicode NFKC (full-width letters become ASCII, ligatures are split), with
// every space, control, format (zero-width space, byte order mark, soft
// hyphen, ...) and other default-ignorable character removed, and case
// folded. The steps are repeated until none changes anything, so
// NormalizeInfo(NormalizeInfo(s)) == NormalizeInfo(s).
func NormalizeInfo(info string) string {
	fold := cases.Fold()
	s := info
	// Removing a character can let NFKC compose its neighbours, and NFKC
	// can make a space (of U+00A8, for one): a few rounds reach the fixed
	// point of every input the fuzz target has found.
	for range 8 {
		t := strings.Map(dropInvisible, norm.NFKC.String(fold.String(norm.NFKC.String(s))))
		if t == s {
			break
		}
		s = t
	}
	return s
}

// dropInvisible maps r to -1 (drop) when it is a space or a character
// that shows nothing of its own.
func dropInvisible(r rune) rune {
	if unicode.IsSpace(r) || unicode.In(r, unicode.Z, unicode.Cc, unicode.Cf,
		unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point) {
		return -1
	}
	return r
}

// skeleton returns n, normalized, with combining marks and the Arabic
// tatweel dropped and Cyrillic and Greek letters that look like Latin ones
// replaced by them, so that privé reads prive and a Cyrillic р in рrivate
// reads p.
func skeleton(n string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(n) {
		if unicode.Is(unicode.Mn, r) || r == 'ـ' {
			continue
		}
		if l, ok := lookAlike[r]; ok {
			r = l
		}
		b.WriteRune(r)
	}
	return b.String()
}

// lookAlike maps lower-case Cyrillic and Greek letters to the Latin
// letters they look like.
var lookAlike = map[rune]rune{
	'а': 'a', 'в': 'b', 'е': 'e', 'о': 'o', 'р': 'p', 'с': 'c', 'х': 'x',
	'у': 'y', 'і': 'i', 'ї': 'i', 'ј': 'j', 'ѕ': 's', 'ԁ': 'd', 'һ': 'h',
	'ѵ': 'v', 'к': 'k', 'м': 'm', 'н': 'h', 'т': 't', 'ԛ': 'q', 'ԝ': 'w',
	'α': 'a', 'β': 'b', 'ε': 'e', 'ι': 'i', 'κ': 'k', 'ν': 'v', 'ο': 'o',
	'ρ': 'p', 'τ': 't', 'υ': 'u', 'χ': 'x', 'γ': 'y',
}

// editDistance returns the number of single-letter inserts, deletes,
// replacements and swaps of two neighbours that turn a into b (optimal
// string alignment distance).
func editDistance(a, b []rune) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
