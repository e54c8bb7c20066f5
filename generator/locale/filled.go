package locale

// This file is a fast path (docs/benchmarks.md, "Fast paths"): messages
// filled in with short values are cached, since the same ones come back
// page after page (a date, "7 of 9", "12 sessions") and filling a message
// in runs a template. TestFilledMatchesFill (locale_test.go) checks the
// cache against filling each message anew, and FuzzFilledKey
// (filled_test.go) its keys for collisions.

import (
	"sort"
	"strconv"
)

// maxFilled bounds the cache of messages filled with data, so that a site
// whose every page fills in other values does not grow it without end.
const maxFilled = 1 << 14

// maxFilledString is the longest string value a cached message holds.
const maxFilledString = 24

// fillCached is fill, from the cache when id was filled with the same
// values before.
func (l *Lang) fillCached(id string, v any) (string, error) {
	key, cacheable := filledKey(id, v)
	if cacheable {
		if s, ok := l.filled.Load(key); ok {
			return s.(string), nil
		}
	}
	s, err := l.fill(id, v)
	if err == nil && cacheable && l.filledCount.Load() < maxFilled {
		if _, loaded := l.filled.LoadOrStore(key, s); !loaded {
			l.filledCount.Add(1)
		}
	}
	return s, err
}

// filledKey is the key of message id filled with arg in Lang.filled, and
// whether arg is made only of values that key can hold: short strings
// and numbers, alone or in a map. Two different ids or args never share
// a key: every string in it is preceded by its length, every number
// followed by a ';'.
func filledKey(id string, arg any) (string, bool) {
	b := appendString(make([]byte, 0, 64), id)
	m, isMap := arg.(map[string]any)
	if !isMap {
		b = append(b, '=')
		b, ok := appendValue(b, arg)
		return string(b), ok
	}
	b = append(b, 'm')
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var ok bool
	for _, k := range keys {
		b = appendString(b, k)
		if b, ok = appendValue(b, m[k]); !ok {
			return "", false
		}
	}
	return string(b), true
}

// appendString appends s to a key, preceded by its length.
func appendString(b []byte, s string) []byte {
	b = strconv.AppendInt(b, int64(len(s)), 10)
	b = append(b, ':')
	return append(b, s...)
}

// appendValue appends v to a key, its type with it (1 and 1.0 are written
// differently), and reports whether v is of a type a key holds.
func appendValue(b []byte, v any) ([]byte, bool) {
	switch x := v.(type) {
	case string:
		if len(x) > maxFilledString {
			return b, false // a name or a title: rarely filled in twice
		}
		return appendString(append(b, 's'), x), true
	case int:
		b = strconv.AppendInt(append(b, 'i'), int64(x), 10)
	case int64:
		b = strconv.AppendInt(append(b, 'l'), x, 10)
	case float64:
		b = strconv.AppendFloat(append(b, 'f'), x, 'g', -1, 64)
	case Percent:
		b = strconv.AppendFloat(append(b, 'p'), float64(x), 'g', -1, 64)
	default:
		return b, false
	}
	return append(b, ';'), true
}
