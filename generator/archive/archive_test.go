package archive

import (
	"archive/zip"
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/coachsite/coachsite/internal/testsite"
)

var bagTime = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)

func sampleBag() Bag {
	return Bag{
		Name: "acme-jane-doe-2026",
		Info: []Field{
			{"Source-Organization", "Acme Coaching Programme"},
			{"Contact-Name", "Sam Coach"},
			{"External-Description", "Coaching engagement of Jane Doe, 2025-09 to 2026-03"},
			{"External-Identifier", "acme-jane-doe-2026"},
			{"Coaching-Client", "Jane Doe"},
			{"Engagement-Started", "2025-09-01"},
			{"Engagement-Ended", "2026-03-10"},
		},
		Files: []File{
			{"site/index.html", []byte("<!doctype html><title>Jane</title><a href=\"2026-01-14/index.html\">s</a>\n")},
			{"site/2026-01-14/index.html", []byte("<!doctype html><p>Session one</p>\n")},
			{"source/clients/jane/2026-01-14.md", []byte("---\ndate: 2026-01-14\nratings: {vision: 4}\n---\nNotes.\n")},
			{"export/sessions.json", []byte(`[{"date":"2026-01-14","ratings":{"vision":4}}]` + "\n")},
			{"index.html", []byte("<!doctype html><meta http-equiv=refresh content=\"0;url=site/index.html\">\n")},
		},
		Time: bagTime,
	}
}

func writeBag(t testing.TB, b Bag, signer ed25519.PrivateKey) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, b, signer); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return buf.Bytes()
}

func verifyBytes(zipData []byte, pub ed25519.PublicKey) (Report, error) {
	return Verify(bytes.NewReader(zipData), int64(len(zipData)), pub)
}

// rezip rebuilds a zip from entries, in the given order, with a plain
// zip.Writer, as someone tampering with an archive would.
func rezip(t testing.TB, entries map[string][]byte, order []string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range order {
		b, ok := entries[name]
		if !ok {
			continue
		}
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// tamper applies edit to the entries of data and rezips them.
func tamper(t testing.TB, data []byte, edit func(m map[string][]byte) []string) []byte {
	t.Helper()
	m, order := testsite.ReadZip(t, data)
	if extra := edit(m); extra != nil {
		order = append(order, extra...)
	}
	return rezip(t, m, order)
}

func problemsOf(r Report) []string {
	var s []string
	for _, p := range r.Problems {
		s = append(s, p.String())
	}
	return s
}

func hasProblem(r Report, k Kind, path string) bool {
	return slices.ContainsFunc(r.Problems, func(p Problem) bool { return p.Kind == k && p.Path == path })
}

func TestWriteVerify(t *testing.T) {
	b := sampleBag()
	data := writeBag(t, b, nil)
	rep, err := verifyBytes(data, nil)
	if err != nil || !rep.OK() {
		t.Fatalf("Verify: %v %q", err, problemsOf(rep))
	}
	if rep.Name != b.Name || rep.Version != "1.0" || rep.Signature != NotSigned {
		t.Errorf("report: name %q version %q signature %v", rep.Name, rep.Version, rep.Signature)
	}
	var octets int64
	for _, f := range b.Files {
		octets += int64(len(f.Data))
	}
	if rep.Files != len(b.Files) || rep.Octets != octets {
		t.Errorf("report: %d files %d octets, want %d, %d", rep.Files, rep.Octets, len(b.Files), octets)
	}
	if want := []string{ManifestFile, TagManifestFile}; !slices.Equal(rep.Manifests, want) {
		t.Errorf("manifests %q, want %q", rep.Manifests, want)
	}
	if len(rep.Untracked) != 0 {
		t.Errorf("untracked tag files %q", rep.Untracked)
	}
	if !slices.Equal(rep.Info[:len(b.Info)], b.Info) {
		t.Errorf("bag-info read back as %q", rep.Info)
	}
}

func TestVerifyFile(t *testing.T) {
	name := filepath.Join(t.TempDir(), "bag.zip")
	if err := os.WriteFile(name, writeBag(t, sampleBag(), nil), 0o644); err != nil {
		t.Fatal(err)
	}
	if rep, err := VerifyFile(name, nil); err != nil {
		t.Fatalf("VerifyFile: %v %q", err, problemsOf(rep))
	}
}

func TestReproducible(t *testing.T) {
	_, priv, _ := GenerateKey(nil)
	a := writeBag(t, sampleBag(), priv)
	shuffled := sampleBag()
	slices.Reverse(shuffled.Files)
	b := writeBag(t, shuffled, priv)
	if !bytes.Equal(a, b) {
		t.Fatal("the same bag written twice (files in another order) gave different bytes")
	}
	later := sampleBag()
	later.Time = bagTime.Add(24 * time.Hour)
	if bytes.Equal(a, writeBag(t, later, priv)) {
		t.Fatal("a different bagging time gave the same bytes")
	}
}

func TestZipEntriesAreNormalized(t *testing.T) {
	b := sampleBag()
	b.Files = append(b.Files, File{"export/photo.bin", []byte{0x89, 'P', 'N', 'G', 1, 2, 3}}, File{"källa/Ünïcode.md", []byte("x")})
	data := writeBag(t, b, nil)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	if zr.Comment != "" {
		t.Errorf("zip comment %q", zr.Comment)
	}
	wantDate, wantTime := msDosTime(bagTime)
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		if !strings.HasPrefix(f.Name, b.Name+"/") {
			t.Errorf("%s: not under the bag folder", f.Name)
		}
		if len(f.Extra) != 0 {
			t.Errorf("%s: extra field %x", f.Name, f.Extra)
		}
		if f.ModifiedDate != wantDate || f.ModifiedTime != wantTime || !f.Modified.Equal(bagTime.Truncate(2*time.Second)) {
			t.Errorf("%s: modified %v (%d %d), want %v", f.Name, f.Modified, f.ModifiedDate, f.ModifiedTime, bagTime)
		}
		if f.Mode() != 0o644 {
			t.Errorf("%s: mode %v, want 0644", f.Name, f.Mode())
		}
		if f.Flags&0x8 != 0 {
			t.Errorf("%s: has a data descriptor", f.Name)
		}
		if f.Method != zip.Deflate && f.Method != zip.Store {
			t.Errorf("%s: method %d", f.Name, f.Method)
		}
		if utf8 := f.Flags&0x800 != 0; utf8 == isASCII(f.Name) {
			t.Errorf("%s: UTF-8 flag %v", f.Name, utf8)
		}
	}
	if !slices.IsSorted(names) {
		t.Errorf("entries not sorted: %q", names)
	}
}

func TestRFC8493Layout(t *testing.T) {
	b := sampleBag()
	data := writeBag(t, b, nil)
	m, _ := testsite.ReadZip(t, data)
	get := func(rel string) string {
		t.Helper()
		c, ok := m[b.Name+"/"+rel]
		if !ok {
			t.Fatalf("no %s", rel)
		}
		return string(c)
	}
	if got := get("bagit.txt"); got != "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n" {
		t.Errorf("bagit.txt = %q", got)
	}

	// manifest-sha256.txt: "<64 lower-case hex>  data/<path>", as bagit-python writes.
	line := regexp.MustCompile(`^([0-9a-f]{64})  (data/.+)$`)
	lines := strings.Split(strings.TrimSuffix(get("manifest-sha256.txt"), "\n"), "\n")
	if len(lines) != len(b.Files) {
		t.Fatalf("manifest has %d lines, want %d", len(lines), len(b.Files))
	}
	var listed []string
	for _, l := range lines {
		sm := line.FindStringSubmatch(l)
		if sm == nil {
			t.Fatalf("manifest line %q", l)
		}
		content, ok := m[b.Name+"/"+sm[2]]
		if !ok {
			t.Fatalf("manifest lists %s, not in the zip", sm[2])
		}
		if sum := sha256.Sum256(content); hex.EncodeToString(sum[:]) != sm[1] {
			t.Errorf("manifest checksum of %s is wrong", sm[2])
		}
		listed = append(listed, sm[2])
	}
	if !slices.IsSorted(listed) {
		t.Errorf("manifest not sorted: %q", listed)
	}

	// tagmanifest-sha256.txt covers exactly bag-info.txt, bagit.txt and manifest-sha256.txt.
	tagLine := regexp.MustCompile(`^([0-9a-f]{64})  ([^/\s]+)$`)
	var tagged []string
	for _, l := range strings.Split(strings.TrimSuffix(get("tagmanifest-sha256.txt"), "\n"), "\n") {
		sm := tagLine.FindStringSubmatch(l)
		if sm == nil {
			t.Fatalf("tagmanifest line %q", l)
		}
		if sum := sha256.Sum256([]byte(get(sm[2]))); hex.EncodeToString(sum[:]) != sm[1] {
			t.Errorf("tagmanifest checksum of %s is wrong", sm[2])
		}
		tagged = append(tagged, sm[2])
	}
	if want := []string{"bag-info.txt", "bagit.txt", "manifest-sha256.txt"}; !slices.Equal(tagged, want) {
		t.Errorf("tagmanifest lists %q, want %q", tagged, want)
	}

	// bag-info.txt: "Label: value" lines, caller's fields first, computed ones after.
	infoLine := regexp.MustCompile(`^([A-Za-z0-9-]+): (.*)$`)
	var got []Field
	for _, l := range strings.Split(strings.TrimSuffix(get("bag-info.txt"), "\n"), "\n") {
		sm := infoLine.FindStringSubmatch(l)
		if sm == nil {
			t.Fatalf("bag-info line %q", l)
		}
		got = append(got, Field{sm[1], sm[2]})
	}
	var octets int
	for _, f := range b.Files {
		octets += len(f.Data)
	}
	want := append(slices.Clone(b.Info),
		Field{"Bagging-Date", "2026-03-14"},
		Field{"Bag-Size", humanSize(int64(octets))},
		Field{"Payload-Oxum", fmt.Sprintf("%d.%d", octets, len(b.Files))})
	if !slices.Equal(got, want) {
		t.Errorf("bag-info.txt:\n got %q\nwant %q", got, want)
	}
}

func TestPercentEncodedPaths(t *testing.T) {
	b := sampleBag()
	b.Files = append(b.Files,
		File{"odd/100% done.txt", []byte("a")},
		File{"odd/two\nlines.txt", []byte("b")},
		File{"odd/carriage\rreturn.txt", []byte("c")},
		File{"odd/already%0Aencoded.txt", []byte("d")})
	data := writeBag(t, b, nil)
	m, _ := testsite.ReadZip(t, data)
	man := string(m[b.Name+"/manifest-sha256.txt"])
	for _, want := range []string{"data/odd/100%25 done.txt\n", "data/odd/two%0Alines.txt\n", "data/odd/carriage%0Dreturn.txt\n", "data/odd/already%250Aencoded.txt\n"} {
		if !strings.Contains(man, want) {
			t.Errorf("manifest lacks %q:\n%s", want, man)
		}
	}
	if rep, err := verifyBytes(data, nil); err != nil {
		t.Fatalf("Verify: %v %q", err, problemsOf(rep))
	}
	for _, p := range []string{"a%b", "a\nb\r", "%0A", "%%25", "plain", "%0a%0d%25"} {
		if got := DecodePath(EncodePath(p)); got != p {
			t.Errorf("DecodePath(EncodePath(%q)) = %q", p, got)
		}
	}
	if got := DecodePath("x%0ay%0Dz%41%"); got != "x\ny\rz%41%" {
		t.Errorf("DecodePath = %q", got)
	}
}

func TestChangedPayloadByteIsNamed(t *testing.T) {
	b := sampleBag()
	data := writeBag(t, b, nil)
	for _, f := range b.Files {
		name := b.Name + "/data/" + f.Path
		for i := range f.Data {
			bad := tamper(t, data, func(m map[string][]byte) []string {
				c := bytes.Clone(m[name])
				c[i] ^= 0x20
				m[name] = c
				return nil
			})
			rep, err := verifyBytes(bad, nil)
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("%s byte %d changed: err = %v", f.Path, i, err)
			}
			want := []Problem{{Changed, "data/" + f.Path, "sha256 checksum differs from manifest-sha256.txt"}}
			if !slices.Equal(rep.Problems, want) {
				t.Fatalf("%s byte %d changed: problems %q", f.Path, i, problemsOf(rep))
			}
		}
	}
}

func TestAddedAndRemovedAreNamed(t *testing.T) {
	b := sampleBag()
	data := writeBag(t, b, nil)

	added := tamper(t, data, func(m map[string][]byte) []string {
		m[b.Name+"/data/site/extra.html"] = []byte("<p>injected</p>")
		return []string{b.Name + "/data/site/extra.html"}
	})
	rep, err := verifyBytes(added, nil)
	if err == nil || !hasProblem(rep, Added, "data/site/extra.html") || !hasProblem(rep, Oxum, "bag-info.txt") {
		t.Errorf("added file: %v %q", err, problemsOf(rep))
	}

	removed := tamper(t, data, func(m map[string][]byte) []string {
		delete(m, b.Name+"/data/export/sessions.json")
		return nil
	})
	rep, err = verifyBytes(removed, nil)
	if err == nil || !hasProblem(rep, Removed, "data/export/sessions.json") || !hasProblem(rep, Oxum, "bag-info.txt") {
		t.Errorf("removed file: %v %q", err, problemsOf(rep))
	}

	// Several changes at once are all reported.
	many := tamper(t, data, func(m map[string][]byte) []string {
		delete(m, b.Name+"/data/index.html")
		m[b.Name+"/data/site/index.html"] = []byte("changed")
		m[b.Name+"/data/new.txt"] = []byte("new")
		return []string{b.Name + "/data/new.txt"}
	})
	rep, _ = verifyBytes(many, nil)
	for _, want := range []Problem{{Kind: Removed, Path: "data/index.html"}, {Kind: Changed, Path: "data/site/index.html"}, {Kind: Added, Path: "data/new.txt"}} {
		if !hasProblem(rep, want.Kind, want.Path) {
			t.Errorf("missing %s %s in %q", want.Kind, want.Path, problemsOf(rep))
		}
	}
}

func TestTamperedTagFilesAreNamed(t *testing.T) {
	b := sampleBag()
	data := writeBag(t, b, nil)
	info := b.Name + "/bag-info.txt"
	bad := tamper(t, data, func(m map[string][]byte) []string {
		m[info] = bytes.Replace(m[info], []byte("Jane Doe"), []byte("John Roe"), 1)
		return nil
	})
	rep, err := verifyBytes(bad, nil)
	want := []Problem{{Changed, "bag-info.txt", "sha256 checksum differs from tagmanifest-sha256.txt"}}
	if err == nil || !slices.Equal(rep.Problems, want) {
		t.Errorf("tampered bag-info: %v %q", err, problemsOf(rep))
	}

	gone := tamper(t, data, func(m map[string][]byte) []string {
		delete(m, info)
		return nil
	})
	rep, _ = verifyBytes(gone, nil)
	if !hasProblem(rep, Removed, "bag-info.txt") {
		t.Errorf("deleted bag-info: %q", problemsOf(rep))
	}

	// Changing a payload file and its manifest line still breaks the tag manifest.
	page := b.Name + "/data/site/index.html"
	man := b.Name + "/manifest-sha256.txt"
	relisted := tamper(t, data, func(m map[string][]byte) []string {
		old := sha256.Sum256(m[page])
		m[page] = bytes.ToUpper(m[page]) // same length: Payload-Oxum still agrees
		sum := sha256.Sum256(m[page])
		m[man] = bytes.Replace(m[man], []byte(hex.EncodeToString(old[:])), []byte(hex.EncodeToString(sum[:])), 1)
		return nil
	})
	rep, _ = verifyBytes(relisted, nil)
	if want := []Problem{{Changed, "manifest-sha256.txt", "sha256 checksum differs from tagmanifest-sha256.txt"}}; !slices.Equal(rep.Problems, want) {
		t.Errorf("forged manifest: %q", problemsOf(rep))
	}
}

func TestSignature(t *testing.T) {
	pub, priv, err := GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	otherPub, _, _ := GenerateKey(nil)
	b := sampleBag()
	signed := writeBag(t, b, priv)
	unsigned := writeBag(t, b, nil)

	rep, err := verifyBytes(signed, pub)
	if err != nil || rep.Signature != SignatureValid || !bytes.Equal(rep.SignedBy, pub) {
		t.Errorf("good signature: %v %v %q", err, rep.Signature, problemsOf(rep))
	}
	rep, err = verifyBytes(signed, nil)
	if err != nil || rep.Signature != SignedNotChecked || !bytes.Equal(rep.SignedBy, pub) {
		t.Errorf("signed, no key: %v %v", err, rep.Signature)
	}
	rep, err = verifyBytes(signed, otherPub)
	if !errors.Is(err, ErrInvalid) || rep.Signature != SignatureInvalid || !hasProblem(rep, Signature, SignatureFile) {
		t.Errorf("wrong key: %v %v", err, rep.Signature)
	}
	rep, err = verifyBytes(unsigned, pub)
	if !errors.Is(err, ErrInvalid) || rep.Signature != NotSigned || !hasProblem(rep, Signature, SignatureFile) {
		t.Errorf("unsigned, key given: %v %v", err, rep.Signature)
	}
	rep, err = verifyBytes(unsigned, nil)
	if err != nil || rep.Signature != NotSigned {
		t.Errorf("unsigned, no key: %v %v", err, rep.Signature)
	}

	// A forger who rewrites every checksum makes a bag valid again, but not
	// its signature.
	page := b.Name + "/data/site/index.html"
	forged := tamper(t, signed, func(m map[string][]byte) []string {
		m[page] = bytes.ToUpper(m[page]) // same length: Payload-Oxum still agrees
		rehash(m, b.Name)
		return nil
	})
	rep, err = verifyBytes(forged, nil)
	if err != nil {
		t.Fatalf("re-hashed forgery should pass checksums: %v %q", err, problemsOf(rep))
	}
	rep, err = verifyBytes(forged, pub)
	if err == nil || rep.Signature != SignatureInvalid {
		t.Errorf("forgery with key: %v %v", err, rep.Signature)
	}

	// A signature file swapped for one by another key is caught too.
	_, otherPriv, _ := GenerateKey(nil)
	swapped := tamper(t, forged, func(m map[string][]byte) []string {
		m[b.Name+"/"+SignatureFile] = signatureFile(otherPriv, m[b.Name+"/"+TagManifestFile])
		return nil
	})
	if rep, err = verifyBytes(swapped, pub); err == nil || rep.Signature != SignatureInvalid {
		t.Errorf("re-signed forgery: %v %v", err, rep.Signature)
	}

	garbled := tamper(t, signed, func(m map[string][]byte) []string {
		m[b.Name+"/"+SignatureFile] = []byte("Signature-Version: 1\nSignature: nonsense\n")
		return nil
	})
	if rep, err = verifyBytes(garbled, nil); err == nil || !hasProblem(rep, Signature, SignatureFile) {
		t.Errorf("garbled signature file: %v %q", err, problemsOf(rep))
	}
}

// rehash rewrites the manifest and tag manifest of a bag's entries to match
// its files, as a forger would.
func rehash(m map[string][]byte, name string) {
	var man strings.Builder
	var paths []string
	for k := range m {
		if strings.HasPrefix(k, name+"/data/") {
			paths = append(paths, k)
		}
	}
	slices.Sort(paths)
	for _, k := range paths {
		fmt.Fprintf(&man, "%x  %s\n", sha256.Sum256(m[k]), strings.TrimPrefix(k, name+"/"))
	}
	m[name+"/manifest-sha256.txt"] = []byte(man.String())
	var tag strings.Builder
	for _, rel := range []string{"bag-info.txt", "bagit.txt", "manifest-sha256.txt"} {
		fmt.Fprintf(&tag, "%x  %s\n", sha256.Sum256(m[name+"/"+rel]), rel)
	}
	m[name+"/tagmanifest-sha256.txt"] = []byte(tag.String())
}

func TestUnsafeEntriesRejected(t *testing.T) {
	data := writeBag(t, sampleBag(), nil)
	m, order := testsite.ReadZip(t, data)
	evil := []string{"../evil.sh", "/etc/passwd", "acme-jane-doe-2026/data/../../../x", `acme-jane-doe-2026\..\x`, "C:/x", "acme-jane-doe-2026//data/x"}
	for _, name := range evil {
		m[name] = []byte("evil")
	}
	bad := rezip(t, m, append(order, evil...))
	rep, err := verifyBytes(bad, nil)
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("err = %v", err)
	}
	for _, name := range evil {
		if !hasProblem(rep, Unsafe, name) {
			t.Errorf("%q not reported as unsafe: %q", name, problemsOf(rep))
		}
	}

	// A symbolic link entry.
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range order {
		w, _ := zw.Create(name)
		w.Write(m[name])
	}
	fh := &zip.FileHeader{Name: "acme-jane-doe-2026/data/link"}
	fh.SetMode(fs.ModeSymlink | 0o777)
	w, _ := zw.CreateHeader(fh)
	w.Write([]byte("/etc/passwd"))
	zw.Close()
	rep, _ = verifyBytes(buf.Bytes(), nil)
	if !hasProblem(rep, Unsafe, "acme-jane-doe-2026/data/link") {
		t.Errorf("symlink not reported: %q", problemsOf(rep))
	}
}

func TestDuplicateEntriesRejected(t *testing.T) {
	b := sampleBag()
	data := writeBag(t, b, nil)
	m, order := testsite.ReadZip(t, data)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	dup := b.Name + "/data/site/index.html"
	for _, name := range append(order, dup) {
		w, _ := zw.Create(name)
		w.Write(m[name])
	}
	zw.Close()
	rep, err := verifyBytes(buf.Bytes(), nil)
	if err == nil || !hasProblem(rep, Unsafe, dup) {
		t.Errorf("duplicate entry: %v %q", err, problemsOf(rep))
	}
}

func TestStructureProblems(t *testing.T) {
	b := sampleBag()
	data := writeBag(t, b, nil)

	stray := tamper(t, data, func(m map[string][]byte) []string {
		m["README.txt"] = []byte("hi")
		m["other/file.txt"] = []byte("hi")
		return []string{"README.txt", "other/file.txt"}
	})
	rep, _ := verifyBytes(stray, nil)
	if !hasProblem(rep, Malformed, "README.txt") || !hasProblem(rep, Malformed, "other/file.txt") {
		t.Errorf("stray files: %q", problemsOf(rep))
	}

	badBagIt := tamper(t, data, func(m map[string][]byte) []string {
		m[b.Name+"/bagit.txt"] = []byte("BagIt-Version: 2.0\nTag-File-Character-Encoding: ISO-8859-1\n")
		return nil
	})
	rep, _ = verifyBytes(badBagIt, nil)
	if n := len(rep.Problems); n < 3 || !hasProblem(rep, Malformed, "bagit.txt") || !hasProblem(rep, Changed, "bagit.txt") {
		t.Errorf("bad bagit.txt: %q", problemsOf(rep))
	}

	noBagIt := tamper(t, data, func(m map[string][]byte) []string {
		delete(m, b.Name+"/bagit.txt")
		return nil
	})
	if _, err := verifyBytes(noBagIt, nil); err == nil {
		t.Error("bag without bagit.txt verified")
	}

	badLines := tamper(t, data, func(m map[string][]byte) []string {
		man := b.Name + "/manifest-sha256.txt"
		m[man] = append(m[man], "nothex  data/x\nlonely\n"...)
		return nil
	})
	rep, _ = verifyBytes(badLines, nil)
	if !hasProblem(rep, Malformed, "manifest-sha256.txt") {
		t.Errorf("malformed manifest lines: %q", problemsOf(rep))
	}

	for _, junk := range [][]byte{nil, []byte("PK\x03\x04 not really"), bytes.Repeat([]byte{0}, 100)} {
		if rep, err := verifyBytes(junk, nil); err == nil || rep.OK() {
			t.Errorf("junk %q verified", junk)
		}
	}
}

// TestForeignBag checks a bag as other BagIt tools write it: version 0.97,
// several algorithms, CRLF line ends, an unlisted extra tag file.
func TestForeignBag(t *testing.T) {
	files := map[string][]byte{"data/a.txt": []byte("alpha"), "data/sub/b.txt": []byte("beta")}
	m := map[string][]byte{}
	var sha256Lines, md5Lines strings.Builder
	for _, p := range []string{"data/a.txt", "data/sub/b.txt"} {
		m["bag/"+p] = files[p]
		fmt.Fprintf(&sha256Lines, "%x\t%s\r\n", sha256.Sum256(files[p]), p)
	}
	fmt.Fprintf(&md5Lines, "2c1743a391305fbf367df8e4f069f9f9 data/a.txt\n987bcab01b929eb2c07877b224215c92  data/sub/b.txt\n")
	m["bag/bagit.txt"] = []byte("BagIt-Version: 0.97\r\nTag-File-Character-Encoding: UTF-8\r\n")
	m["bag/bag-info.txt"] = []byte("Bag-Software-Agent: bagit.py\nExternal-Description: a long\n  folded value\nPayload-Oxum: 9.2\n")
	m["bag/manifest-sha256.txt"] = []byte(sha256Lines.String())
	m["bag/manifest-md5.txt"] = []byte(md5Lines.String())
	m["bag/notes/extra.txt"] = []byte("not in any tag manifest")
	var tag strings.Builder
	for _, rel := range []string{"bag-info.txt", "bagit.txt", "manifest-md5.txt", "manifest-sha256.txt"} {
		fmt.Fprintf(&tag, "%x  %s\n", sha256.Sum256(m["bag/"+rel]), rel)
	}
	m["bag/tagmanifest-sha256.txt"] = []byte(tag.String())
	var order []string
	for k := range m {
		order = append(order, k)
	}
	slices.Sort(order)
	order = append([]string{"bag/", "bag/data/"}, order...) // directory entries, as zip(1) adds
	m["bag/"], m["bag/data/"] = nil, nil
	data := rezip(t, m, order)

	rep, err := verifyBytes(data, nil)
	if err != nil {
		t.Fatalf("foreign bag: %v %q", err, problemsOf(rep))
	}
	if rep.Version != "0.97" || len(rep.Manifests) != 3 || !slices.Equal(rep.Untracked, []string{"notes/extra.txt"}) {
		t.Errorf("report: %+v", rep)
	}
	if !slices.Contains(rep.Info, Field{"External-Description", "a long folded value"}) {
		t.Errorf("folded bag-info value: %q", rep.Info)
	}

	// A change only the MD5 manifest disagrees with is still caught.
	m["bag/manifest-md5.txt"] = []byte(strings.Replace(md5Lines.String(), "2c17", "2c18", 1))
	rep, _ = verifyBytes(rezip(t, m, order), nil)
	if !hasProblem(rep, Changed, "data/a.txt") {
		t.Errorf("md5 mismatch: %q", problemsOf(rep))
	}
}

func TestLimits(t *testing.T) {
	b := sampleBag()
	b.Files = append(b.Files, File{"export/zeros.bin", make([]byte, 4<<20)})
	data := writeBag(t, b, nil)
	if len(data) > 64<<10 {
		t.Fatalf("zeros compressed to %d bytes", len(data))
	}
	rep, err := VerifyLimits(bytes.NewReader(data), int64(len(data)), nil, Limits{MaxEntries: 100, MaxTotal: 1 << 20, MaxTagFile: 1 << 20})
	if err == nil || !hasProblem(rep, TooLarge, "") {
		t.Errorf("total limit: %v %q", err, problemsOf(rep))
	}
	rep, err = VerifyLimits(bytes.NewReader(data), int64(len(data)), nil, Limits{MaxEntries: 3, MaxTotal: 1 << 30, MaxTagFile: 1 << 20})
	if err == nil || !hasProblem(rep, TooLarge, "") {
		t.Errorf("entry limit: %v %q", err, problemsOf(rep))
	}
	rep, err = VerifyLimits(bytes.NewReader(data), int64(len(data)), nil, Limits{MaxEntries: 100, MaxTotal: 1 << 30, MaxTagFile: 16})
	if err == nil || !hasProblem(rep, TooLarge, "bagit.txt") {
		t.Errorf("tag file limit: %v %q", err, problemsOf(rep))
	}
}

func TestWriteRejects(t *testing.T) {
	cases := map[string]func(b *Bag){
		"empty name":      func(b *Bag) { b.Name = "" },
		"dot name":        func(b *Bag) { b.Name = ".hidden" },
		"slash name":      func(b *Bag) { b.Name = "a/b" },
		"space name":      func(b *Bag) { b.Name = "a b" },
		"zero time":       func(b *Bag) { b.Time = time.Time{} },
		"computed label":  func(b *Bag) { b.Info = append(b.Info, Field{"payload-oxum", "1.1"}) },
		"multi-line":      func(b *Bag) { b.Info = append(b.Info, Field{"X", "a\nb"}) },
		"colon label":     func(b *Bag) { b.Info = append(b.Info, Field{"X:Y", "a"}) },
		"empty label":     func(b *Bag) { b.Info = append(b.Info, Field{"", "a"}) },
		"dotdot path":     func(b *Bag) { b.Files = append(b.Files, File{"../x", nil}) },
		"absolute path":   func(b *Bag) { b.Files = append(b.Files, File{"/x", nil}) },
		"backslash path":  func(b *Bag) { b.Files = append(b.Files, File{`a\b`, nil}) },
		"empty segment":   func(b *Bag) { b.Files = append(b.Files, File{"a//b", nil}) },
		"duplicate path":  func(b *Bag) { b.Files = append(b.Files, File{"index.html", nil}) },
		"case collision":  func(b *Bag) { b.Files = append(b.Files, File{"INDEX.html", nil}) },
		"file and folder": func(b *Bag) { b.Files = append(b.Files, File{"index.html/x", nil}) },
		"bad utf-8":       func(b *Bag) { b.Files = append(b.Files, File{"a\xff", nil}) },
	}
	for name, edit := range cases {
		b := sampleBag()
		edit(&b)
		var buf bytes.Buffer
		if err := Write(&buf, b, nil); err == nil {
			t.Errorf("%s: Write succeeded", name)
		} else if buf.Len() != 0 {
			t.Errorf("%s: Write wrote %d bytes before failing", name, buf.Len())
		}
	}
	var buf bytes.Buffer
	if err := Write(&buf, sampleBag(), ed25519.PrivateKey{1, 2, 3}); err == nil {
		t.Error("Write accepted a short signing key")
	}
}

func TestEmptyPayload(t *testing.T) {
	b := sampleBag()
	b.Files = nil
	rep, err := verifyBytes(writeBag(t, b, nil), nil)
	if err != nil || rep.Files != 0 {
		t.Errorf("empty payload: %v %q", err, problemsOf(rep))
	}
}

func TestMsDosTime(t *testing.T) {
	d, tm := msDosTime(time.Unix(0, 0))
	if d != 1<<5|1 || tm != 0 {
		t.Errorf("epoch 0 -> %d %d, want 1980-01-01 00:00", d, tm)
	}
	d, tm = msDosTime(time.Date(2026, 3, 14, 15, 9, 27, 0, time.FixedZone("X", 3600)))
	if want := uint16(14 | 3<<5 | 46<<9); d != want || tm != uint16(13|9<<5|14<<11) {
		t.Errorf("2026-03-14 14:09:27 UTC -> %d %d", d, tm)
	}
	b := sampleBag()
	b.Time = time.Unix(0, 0)
	m, _ := testsite.ReadZip(t, writeBag(t, b, nil))
	if !bytes.Contains(m[b.Name+"/bag-info.txt"], []byte("Bagging-Date: 1970-01-01\n")) {
		t.Error("Bagging-Date is not the given time")
	}
}

func TestSourceDateEpoch(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "")
	if _, ok, err := SourceDateEpoch(); ok || err != nil {
		t.Errorf("unset: %v %v", ok, err)
	}
	t.Setenv("SOURCE_DATE_EPOCH", "1773500966")
	if got, ok, err := SourceDateEpoch(); !ok || err != nil || !got.Equal(time.Unix(1773500966, 0)) || got.Location() != time.UTC {
		t.Errorf("set: %v %v %v", got, ok, err)
	}
	for _, bad := range []string{"yesterday", "-1", "1.5"} {
		t.Setenv("SOURCE_DATE_EPOCH", bad)
		if _, _, err := SourceDateEpoch(); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestFilesFromFS(t *testing.T) {
	fsys := fstest.MapFS{
		"public/p/index.html": {Data: []byte("i")},
		"public/p/a/b.css":    {Data: []byte("b")},
		"public/other.txt":    {Data: []byte("o")},
	}
	files, err := FilesFromFS(fsys, "public/p", "site")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		got = append(got, f.Path+"="+string(f.Data))
	}
	if want := []string{"site/a/b.css=b", "site/index.html=i"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	fsys["public/p/link"] = &fstest.MapFile{Mode: fs.ModeSymlink}
	if _, err := FilesFromFS(fsys, "public/p", ""); err == nil {
		t.Error("symlink accepted")
	}
}

func TestHumanSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 999: "999 B", 1000: "1.0 KB", 42_600_000_000: "42.6 GB", 1_234_567: "1.2 MB"} {
		if got := humanSize(n); got != want {
			t.Errorf("humanSize(%d) = %q, want %q", n, got, want)
		}
	}
}
