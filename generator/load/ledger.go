package load

import (
	"crypto/sha256"
	"fmt"
	"regexp"

	"github.com/coachsite/coachsite/generator/diag"
	"github.com/coachsite/coachsite/generator/model"
)

// The commitments of a client form one ledger: each commitment has one
// identity from the session that made it to the one that closed it. The
// rules, for users in docs/content-format.md ("Commitments across
// sessions"):
//
//   - A commitment written without an id is new, made in its session, and
//     gets the id derived from that session's date and its text (idFor) —
//     unless an earlier session made an open commitment of exactly that
//     text: then it is that commitment (how files were written before ids).
//   - A commitment written with an id is a later mention of the commitment
//     an earlier session made; an id that names none is an error, so a
//     mistyped id never silently starts a second commitment.
//   - One session mentions a commitment once.
//   - The latest mention sets the text, due date and status; a mention with
//     an id may leave out text and due, which then stay as they were.

// idRE is what a commitment id may look like: what idFor makes, and room for
// a coach's own hand.
var idRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$`)

// idLetters and idChars spell derived ids: no 0/o, 1/i/l or u, so an id
// read aloud or copied by hand is not misread, and no id spells a YAML word
// such as null or true. An id starts with a letter, so it never reads as a
// number.
const (
	idLetters = "abcdefghjkmnpqrstvwxyz"
	idChars   = idLetters + "23456789"
)

// idLen is the length of a derived id. Four characters give 580,000 ids; a
// clash with an earlier commitment of the client lengthens the later one.
const idLen = 4

// idFor derives the id of a commitment made on day with text: the first
// n characters of a digest of both. The same commitment gets the same id on
// every build, and editing another commitment never changes it.
func idFor(day model.Date, text string, n int) string {
	sum := sha256.Sum256([]byte(day.String() + "\n" + text))
	b := make([]byte, 0, n)
	b = append(b, idLetters[int(sum[0])%len(idLetters)])
	for i := 1; len(b) < n; i++ {
		b = append(b, idChars[int(sum[i%len(sum)])%len(idChars)])
	}
	return string(b)
}

// ledgerEntry is the state of one commitment while the sessions are walked
// oldest first.
type ledgerEntry struct {
	id, text string
	due      model.Date
	status   string
	madeIn   int // index of the session that made it
}

// ledgerSession is one loaded session of a client with the commitments as
// written.
type ledgerSession struct {
	s     *model.Session
	path  string
	items []commitmentItem
}

// resolveLedger sets the ID of every commitment of sessions (oldest first)
// and fills in the text and due date a mention leaves out, reporting every
// mention that breaks a rule above. gap says that a session of the client
// could not be loaded, so an unknown id may name a commitment made there and
// is not reported.
func resolveLedger(sessions []ledgerSession, gap bool) diag.List {
	var errs diag.List
	byID := map[string]*ledgerEntry{}
	var order []*ledgerEntry // in the order made, for text matching
	line := func(yamlLine int) int { return yamlLine + fmFirst - 1 }
	for si, ls := range sessions {
		out := make([]model.Commitment, 0, len(ls.items))
		mentioned := map[string]int{} // id -> index in ls.items of its mention here
		for i, it := range ls.items {
			sub := fmt.Sprintf("commitments[%d]", i+1)
			var e *ledgerEntry
			if it.ID != "" {
				e = byID[it.ID]
				if e == nil || e.madeIn == si {
					if !gap || e != nil {
						errs = append(errs, diag.Errorf(ls.path, line(it.IDLine),
							"%s.id: %q names no commitment made in an earlier session; a new commitment is written without an id (if you changed its text in the session that made it, change that back and change the text here)", sub, it.ID))
					}
					continue
				}
			} else {
				e = openWithText(order, si, it.Text, mentioned)
			}
			if e == nil {
				id := idFor(ls.s.Date, it.Text, idLen)
				for n := idLen + 1; byID[id] != nil; n++ {
					id = idFor(ls.s.Date, it.Text, n)
				}
				e = &ledgerEntry{id: id, madeIn: si}
				byID[id] = e
				order = append(order, e)
			} else if j, again := mentioned[e.id]; again {
				p := ls.items[j]
				if it.ID == "" && p.ID == "" && p.Status == it.Status && p.Due.Equal(it.Due.Time) {
					continue // the same words twice, as earlier versions carried them: one mention
				}
				errs = append(errs, diag.Errorf(ls.path, line(it.Line),
					"%s: this session already mentions commitment %s (commitments[%d], line %d); mention it once", sub, e.id, j+1, line(p.Line)))
				continue
			}
			mentioned[e.id] = i
			if it.TextSet {
				e.text = it.Text
			}
			if it.DueSet || it.ID == "" {
				e.due = it.Due
			}
			e.status = it.Status
			out = append(out, model.Commitment{ID: e.id, Text: e.text, Due: e.due, Status: e.status})
		}
		ls.s.Commitments = out
	}
	return errs
}

// openWithText returns the earliest commitment made before session si whose
// text is text and that is open, or that this session already mentions.
func openWithText(order []*ledgerEntry, si int, text string, mentioned map[string]int) *ledgerEntry {
	for _, o := range order {
		if o.madeIn >= si || o.text != text {
			continue
		}
		if _, here := mentioned[o.id]; here || o.status == model.StatusOpen {
			return o
		}
	}
	return nil
}
