package checkin

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

var (
	seed    = bytes.Repeat([]byte{7}, 32)
	siteKey = bytes.Repeat([]byte{9}, 32)
	portal  = "abcdefghijklmnopqrstuvwxyz"
	made    = time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
)

func testKey(t *testing.T, seed, site []byte) *Key {
	t.Helper()
	k, err := NewKey(seed, site)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestRoundTripAndDeterministicKey(t *testing.T) {
	k := testKey(t, seed, siteKey)
	if k2 := testKey(t, seed, siteKey); !bytes.Equal(k.Public(), k2.Public()) {
		t.Fatal("the same seed gave two keys")
	}
	if k3 := testKey(t, bytes.Repeat([]byte{8}, 32), siteKey); bytes.Equal(k.Public(), k3.Public()) {
		t.Fatal("another seed gave the same key")
	}
	block, err := Seal(k.Public(), SiteID(siteKey), portal, made, made.Add(30*24*time.Hour), []byte("ratings: {vision: 5}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(block, Begin+"\n") || !strings.HasSuffix(block, End+"\n") {
		t.Fatalf("armor: %q", block)
	}
	o, err := k.Open("Hi Sam,\n> "+strings.ReplaceAll(block, "\n", "\n> ")+"\nbest", made.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if string(o.Plaintext) != "ratings: {vision: 5}\n" || o.Portal != portal || !o.Made.Equal(made) {
		t.Errorf("opened %+v", o)
	}
}

func TestRefused(t *testing.T) {
	k := testKey(t, seed, siteKey)
	exp := made.Add(30 * 24 * time.Hour)
	block, err := Seal(k.Public(), SiteID(siteKey), portal, made, exp, []byte("ratings: {vision: 5}\n"))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := Dearmor(block)
	if err != nil {
		t.Fatal(err)
	}
	// Every single changed byte is refused.
	for i := range raw {
		b := bytes.Clone(raw)
		b[i] ^= 0x01
		if _, err := k.Open(Armor(b), made); err == nil {
			t.Fatalf("a block changed at byte %d opened", i)
		}
	}
	// Moving it to another client's portal (the header's token) is refused.
	b := bytes.Clone(raw)
	copy(b[1+SiteIDLen:], "zyxwvutsrqponmlkjihgfedcba")
	if _, err := k.Open(Armor(b), made); !errors.Is(err, ErrChanged) {
		t.Errorf("replayed into another portal: %v", err)
	}
	// Another site's key: refused as another site's block.
	other := testKey(t, bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32))
	if _, err := other.Open(block, made); !errors.Is(err, ErrSite) {
		t.Errorf("another site: %v", err)
	}
	// The same site with another coach passphrase: refused as changed.
	sameSite := testKey(t, bytes.Repeat([]byte{1}, 32), siteKey)
	if _, err := sameSite.Open(block, made); !errors.Is(err, ErrChanged) {
		t.Errorf("another coach key: %v", err)
	}
	if _, err := k.Open(block, exp.Add(time.Second)); !errors.Is(err, ErrExpired) {
		t.Errorf("expired: %v", err)
	}
	long, _ := Seal(k.Public(), SiteID(siteKey), portal, made, made.Add(MaxLife+time.Hour), []byte("x"))
	if _, err := k.Open(long, made); !errors.Is(err, ErrChanged) {
		t.Errorf("a block valid for longer than MaxLife: %v", err)
	}
	for _, s := range []string{"", "hello", Begin + "\n!!!\n" + End, Begin + "\nAAAA\n" + End, Begin} {
		if _, err := k.Open(s, made); err == nil {
			t.Errorf("%q opened", s)
		}
	}
}

// FuzzOpen checks that no text opens as a check-in block but the one
// sealed, and that none makes Open panic.
func FuzzOpen(f *testing.F) {
	k, _ := NewKey(seed, siteKey)
	block, _ := Seal(k.Public(), SiteID(siteKey), portal, made, made.Add(time.Hour), []byte("x"))
	f.Add(block)
	f.Add(Begin + "\nAQ\n" + End)
	f.Fuzz(func(t *testing.T, s string) {
		o, err := k.Open(s, made)
		if err == nil && string(o.Plaintext) != "x" {
			t.Fatalf("a forged block opened: %q", o.Plaintext)
		}
	})
}
