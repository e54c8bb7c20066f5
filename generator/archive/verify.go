package archive

import (
	"archive/zip"
	"bytes"
	"crypto/ed25519"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"maps"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// ErrInvalid is wrapped by the error [Verify] returns when the archive is
// not a valid, intact bag (or, when a key was given, not validly signed).
var ErrInvalid = errors.New("archive is not a valid bag")

// Kind classifies a [Problem].
type Kind string

// The kinds of problem Verify reports.
const (
	Changed    Kind = "changed"    // a file's checksum differs from its manifest's
	Added      Kind = "added"      // a file in data/ that a payload manifest does not list
	Removed    Kind = "removed"    // a file a manifest lists that is not in the archive
	Oxum       Kind = "oxum"       // Payload-Oxum in bag-info.txt disagrees with the payload
	Malformed  Kind = "malformed"  // the zip, bagit.txt, a manifest or a tag file breaks the format
	Unsafe     Kind = "unsafe"     // an entry that is dangerous to extract: zip-slip path, link, duplicate
	Unreadable Kind = "unreadable" // an entry that cannot be decompressed (corrupt, unsupported)
	TooLarge   Kind = "too-large"  // the archive exceeds a Limits bound
	Signature  Kind = "signature"  // the signature is missing (a key was given) or does not verify
)

// Problem is one thing wrong with an archive.
type Problem struct {
	Kind Kind
	// Path is the file concerned, relative to the bag folder
	// ("data/site/index.html", "bag-info.txt"), or the zip entry name for
	// entries outside the bag folder; "" for the archive as a whole.
	Path   string
	Detail string
}

// String formats p as "PATH: KIND: DETAIL".
func (p Problem) String() string {
	s := string(p.Kind)
	if p.Detail != "" {
		s += ": " + p.Detail
	}
	if p.Path != "" {
		s = p.Path + ": " + s
	}
	return s
}

// SignatureStatus says what Verify found out about an archive's signature.
type SignatureStatus int

// Signature states.
const (
	NotSigned        SignatureStatus = iota // no coachsite-signature.txt
	SignedNotChecked                        // signed, but no public key was given to check it
	SignatureValid                          // signed, and the signature verifies with the given key
	SignatureInvalid                        // signed, but not by the given key, or the signature is malformed
)

// String describes s in words.
func (s SignatureStatus) String() string {
	switch s {
	case NotSigned:
		return "not signed"
	case SignedNotChecked:
		return "signed, not checked (no public key given)"
	case SignatureValid:
		return "signature valid"
	case SignatureInvalid:
		return "signature INVALID"
	}
	return "SignatureStatus(" + strconv.Itoa(int(s)) + ")"
}

// Report is what Verify found.
type Report struct {
	Name      string   // the bag's top-level folder
	Version   string   // BagIt-Version from bagit.txt
	Info      []Field  // bag-info.txt, in file order
	Manifests []string // payload and tag manifests checked, e.g. "manifest-sha256.txt"
	Files     int      // payload files in data/
	Octets    int64    // their total size
	// Untracked lists tag files (outside data/) that no tag manifest covers,
	// other than the tag manifests and coachsite-signature.txt. BagIt allows
	// them, but neither checksums nor the signature vouch for them.
	Untracked []string
	Signature SignatureStatus
	SignedBy  ed25519.PublicKey // the key named in coachsite-signature.txt, if any
	Problems  []Problem         // sorted by path, then kind
}

// OK reports whether no problem was found.
func (r Report) OK() bool { return len(r.Problems) == 0 }

// Limits bounds the work Verify does on a hostile archive.
type Limits struct {
	MaxEntries int   // zip entries
	MaxTotal   int64 // bytes decompressed in all
	MaxTagFile int64 // bytes of one tag file (tag files are read into memory)
}

// DefaultLimits are the limits [Verify] applies.
var DefaultLimits = Limits{MaxEntries: 200_000, MaxTotal: 4 << 30, MaxTagFile: 64 << 20}

// VerifyFile verifies the archive at name; see [Verify].
func VerifyFile(name string, pub ed25519.PublicKey) (Report, error) {
	f, err := os.Open(name)
	if err != nil {
		return Report{}, fmt.Errorf("archive: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return Report{}, fmt.Errorf("archive: %w", err)
	}
	return Verify(f, st.Size(), pub)
}

// Verify checks the zipped bag of size bytes read from r, with
// [DefaultLimits]: the zip holds one top-level folder and no unsafe or
// duplicate entry; bagit.txt is valid; every checksum of every payload and
// tag manifest matches (SHA-256, SHA-512, SHA-1 and MD5 manifests are
// checked); every file in data/ is listed and every listed file exists; the
// Payload-Oxum, if any, matches. Every problem is reported, each naming its
// file. When pub is not nil the archive must also carry a valid signature by
// pub; without pub a signature is reported but not checked.
//
// The error is nil exactly when the Report has no problems; otherwise it
// wraps [ErrInvalid].
func Verify(r io.ReaderAt, size int64, pub ed25519.PublicKey) (Report, error) {
	return VerifyLimits(r, size, pub, DefaultLimits)
}

// VerifyLimits is [Verify] with explicit limits.
func VerifyLimits(r io.ReaderAt, size int64, pub ed25519.PublicKey, lim Limits) (Report, error) {
	v := &verifier{lim: lim}
	v.run(r, size, pub)
	rep := v.rep
	rep.Problems = dedupe(rep.Problems)
	if len(rep.Problems) == 0 {
		return rep, nil
	}
	msg := rep.Problems[0].String()
	if n := len(rep.Problems) - 1; n > 0 {
		msg += fmt.Sprintf(" (and %d more)", n)
	}
	return rep, fmt.Errorf("archive: %w: %s", ErrInvalid, msg)
}

type verifier struct {
	lim  Limits
	rep  Report
	read int64 // bytes decompressed so far
}

func (v *verifier) problem(k Kind, path, format string, args ...any) {
	v.rep.Problems = append(v.rep.Problems, Problem{Kind: k, Path: path, Detail: fmt.Sprintf(format, args...)})
}

// hashes names the manifest algorithms Verify supports.
var hashes = map[string]func() hash.Hash{
	"md5": md5.New, "sha1": sha1.New, "sha256": sha256.New, "sha512": sha512.New,
}

var manifestName = regexp.MustCompile(`^(tag)?manifest-([a-z0-9]+)\.txt$`)

// manifest is one parsed manifest file: decoded path -> lower-case hex.
type manifest struct {
	name string // e.g. "manifest-sha256.txt"
	alg  string
	tag  bool
	sums map[string]string
}

func (v *verifier) run(r io.ReaderAt, size int64, pub ed25519.PublicKey) {
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		v.problem(Malformed, "", "not a readable zip file: %v", err)
		return
	}
	if len(zr.File) > v.lim.MaxEntries {
		v.problem(TooLarge, "", "%d entries, more than the limit of %d", len(zr.File), v.lim.MaxEntries)
		return
	}

	// Pass 1: screen every entry and find the bag folder.
	var declared uint64
	byTop := map[string]map[string]*zip.File{} // top folder -> path below it -> entry
	var safe []*zip.File
	names := map[string]bool{}
	for _, f := range zr.File {
		name := f.Name
		if names[name] {
			v.problem(Unsafe, name, "duplicate zip entry")
			continue
		}
		names[name] = true
		trimmed := strings.TrimSuffix(name, "/")
		if why := unsafePath(trimmed); why != "" {
			v.problem(Unsafe, name, "%s", why)
			continue
		}
		mode := f.Mode()
		if mode&fs.ModeType&^fs.ModeDir != 0 {
			v.problem(Unsafe, name, "not a regular file (%v)", mode.Type())
			continue
		}
		if f.FileInfo().IsDir() {
			continue
		}
		declared += f.UncompressedSize64
		if declared > uint64(v.lim.MaxTotal) {
			v.problem(TooLarge, "", "expands to more than the limit of %d bytes", v.lim.MaxTotal)
			return
		}
		top, rel, ok := strings.Cut(name, "/")
		if !ok {
			v.problem(Malformed, name, "file outside the bag folder")
			continue
		}
		if byTop[top] == nil {
			byTop[top] = map[string]*zip.File{}
		}
		byTop[top][rel] = f
		safe = append(safe, f)
	}
	if len(safe) == 0 && len(v.rep.Problems) == 0 {
		v.problem(Malformed, "", "the archive holds no files")
		return
	}
	tops := slices.Sorted(maps.Keys(byTop))
	var withBagIt []string
	for _, t := range tops {
		if byTop[t][BagItFile] != nil {
			withBagIt = append(withBagIt, t)
		}
	}
	if len(withBagIt) != 1 {
		v.problem(Malformed, "", "want exactly one top-level folder holding bagit.txt, found %d among folders %q", len(withBagIt), tops)
		return
	}
	top := withBagIt[0]
	v.rep.Name = top
	for _, t := range tops {
		if t == top {
			continue
		}
		for _, rel := range slices.Sorted(maps.Keys(byTop[t])) {
			v.problem(Malformed, t+"/"+rel, "file outside the bag folder %q", top)
		}
	}
	entries := byTop[top]

	v.checkBagIt(entries[BagItFile])

	if f := entries[BagInfoFile]; f != nil {
		if b, ok := v.readTag(BagInfoFile, f); ok {
			fields, bad := parseFields(b)
			v.rep.Info = fields
			for _, n := range bad {
				v.problem(Malformed, BagInfoFile, "line %d is not \"Label: value\"", n)
			}
		}
	}

	// Manifests and tag files at the bag's root or in tag folders.
	var manifests []manifest
	var payload []string
	var tagFiles []string
	for _, rel := range slices.Sorted(maps.Keys(entries)) {
		if strings.HasPrefix(rel, PayloadDir+"/") {
			payload = append(payload, rel)
			continue
		}
		tagFiles = append(tagFiles, rel)
		m := manifestName.FindStringSubmatch(rel)
		if m == nil {
			continue
		}
		if hashes[m[2]] == nil {
			v.problem(Malformed, rel, "unsupported checksum algorithm %q", m[2])
			continue
		}
		if b, ok := v.readTag(rel, entries[rel]); ok {
			manifests = append(manifests, v.parseManifest(rel, m[2], m[1] == "tag", b))
		}
		v.rep.Manifests = append(v.rep.Manifests, rel)
	}
	payloadManifests := 0
	for _, m := range manifests {
		if !m.tag {
			payloadManifests++
		}
	}
	if payloadManifests == 0 {
		v.problem(Malformed, "", "no readable payload manifest (manifest-<algorithm>.txt) with a supported algorithm")
	}

	v.checkPayload(entries, payload, manifests)
	v.checkTagManifests(entries, manifests)
	v.findUntracked(tagFiles, manifests)
	v.checkSignature(entries[SignatureFile], entries[TagManifestFile], pub)
}

// readTag reads a tag file whole, within the limits.
func (v *verifier) readTag(rel string, f *zip.File) ([]byte, bool) {
	var buf bytes.Buffer
	if !v.stream(rel, f, &buf, v.lim.MaxTagFile) {
		return nil, false
	}
	return buf.Bytes(), true
}

// stream decompresses f into w, at most max bytes and within the archive's
// total limit. It reports a problem and returns false when it cannot.
func (v *verifier) stream(rel string, f *zip.File, w io.Writer, max int64) bool {
	if f.UncompressedSize64 > uint64(max) {
		v.problem(TooLarge, rel, "%d bytes, more than the limit of %d", f.UncompressedSize64, max)
		return false
	}
	rc, err := f.Open()
	if err != nil {
		v.problem(Unreadable, rel, "%v", err)
		return false
	}
	defer rc.Close()
	// Declared sizes were checked against the limit already, and archive/zip
	// refuses to read past them; this bound holds even if that changes.
	left := min(max, v.lim.MaxTotal-v.read)
	n, err := io.Copy(w, io.LimitReader(rc, left+1))
	v.read += n
	if n > left {
		v.problem(TooLarge, rel, "expands to more than the limit")
		return false
	}
	if err != nil {
		v.problem(Unreadable, rel, "%v", err)
		return false
	}
	return true
}

// checkBagIt checks bagit.txt against RFC 8493 section 2.1.1: exactly the
// two lines BagIt-Version and Tag-File-Character-Encoding, no BOM.
func (v *verifier) checkBagIt(f *zip.File) {
	b, ok := v.readTag(BagItFile, f)
	if !ok {
		return
	}
	if bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
		v.problem(Malformed, BagItFile, "starts with a byte order mark")
		b = b[3:]
	}
	lines := splitLines(b)
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	if len(lines) != 2 {
		v.problem(Malformed, BagItFile, "want exactly 2 lines, found %d", len(lines))
		return
	}
	version, ok1 := strings.CutPrefix(lines[0], "BagIt-Version: ")
	enc, ok2 := strings.CutPrefix(lines[1], "Tag-File-Character-Encoding: ")
	if !ok1 || !ok2 {
		v.problem(Malformed, BagItFile, "want lines \"BagIt-Version: M.N\" and \"Tag-File-Character-Encoding: ENCODING\"")
		return
	}
	v.rep.Version = version
	if version != "1.0" && version != "0.97" {
		v.problem(Malformed, BagItFile, "unsupported BagIt-Version %q (want 1.0 or 0.97)", version)
	}
	if !strings.EqualFold(enc, "UTF-8") {
		v.problem(Malformed, BagItFile, "unsupported Tag-File-Character-Encoding %q (want UTF-8)", enc)
	}
}

// parseManifest parses a manifest: lines of a checksum, one or more spaces
// or tabs, and a percent-encoded path (RFC 8493 section 2.1.3).
func (v *verifier) parseManifest(rel, alg string, tag bool, b []byte) manifest {
	m := manifest{name: rel, alg: alg, tag: tag, sums: map[string]string{}}
	want := hashes[alg]().Size() * 2
	for i, line := range splitLines(b) {
		if line == "" {
			continue
		}
		n := i + 1
		j := strings.IndexAny(line, " \t")
		if j <= 0 || strings.TrimLeft(line[j:], " \t") == "" {
			v.problem(Malformed, rel, "line %d: want \"CHECKSUM PATH\"", n)
			continue
		}
		sum, p := line[:j], strings.TrimLeft(line[j:], " \t")
		if _, err := hex.DecodeString(sum); err != nil || len(sum) != want {
			v.problem(Malformed, rel, "line %d: %q is not a %s checksum", n, sum, alg)
			continue
		}
		p = DecodePath(p)
		if why := unsafePath(p); why != "" {
			v.problem(Unsafe, rel, "line %d: path %q: %s", n, p, why)
			continue
		}
		if !tag && !strings.HasPrefix(p, PayloadDir+"/") {
			v.problem(Malformed, rel, "line %d: %q is not under data/", n, p)
			continue
		}
		if _, dup := m.sums[p]; dup {
			v.problem(Malformed, rel, "line %d: %q is listed twice", n, p)
			continue
		}
		m.sums[p] = strings.ToLower(sum)
	}
	return m
}

// checkPayload hashes every payload file once with every payload manifest's
// algorithm and compares.
func (v *verifier) checkPayload(entries map[string]*zip.File, payload []string, manifests []manifest) {
	var algs []string
	for _, m := range manifests {
		if !m.tag && !slices.Contains(algs, m.alg) {
			algs = append(algs, m.alg)
		}
	}
	got := map[string]map[string]string{} // path -> alg -> hex
	for _, rel := range payload {
		f := entries[rel]
		v.rep.Files++
		v.rep.Octets += int64(f.UncompressedSize64)
		sums, ok := v.hashFile(rel, f, algs)
		if ok {
			got[rel] = sums
		}
	}
	present := map[string]bool{}
	for _, rel := range payload {
		present[rel] = true
	}
	for _, m := range manifests {
		if m.tag {
			continue
		}
		for _, p := range slices.Sorted(maps.Keys(m.sums)) {
			switch {
			case !present[p]:
				v.problem(Removed, p, "listed in %s, missing from the archive", m.name)
			case got[p] != nil && got[p][m.alg] != m.sums[p]:
				v.problem(Changed, p, "%s checksum differs from %s", m.alg, m.name)
			}
		}
		for _, p := range payload {
			if _, ok := m.sums[p]; !ok {
				v.problem(Added, p, "not listed in %s", m.name)
			}
		}
	}
	v.checkOxum()
}

func (v *verifier) hashFile(rel string, f *zip.File, algs []string) (map[string]string, bool) {
	hs := make([]hash.Hash, len(algs))
	ws := make([]io.Writer, len(algs))
	for i, a := range algs {
		hs[i] = hashes[a]()
		ws[i] = hs[i]
	}
	if !v.stream(rel, f, io.MultiWriter(ws...), v.lim.MaxTotal) {
		return nil, false
	}
	sums := map[string]string{}
	for i, a := range algs {
		sums[a] = hex.EncodeToString(hs[i].Sum(nil))
	}
	return sums, true
}

// checkOxum compares Payload-Oxum ("OCTETS.STREAMS"), when present, with the
// payload found.
func (v *verifier) checkOxum() {
	for _, f := range v.rep.Info {
		if !strings.EqualFold(f.Label, "Payload-Oxum") {
			continue
		}
		o, s, ok := strings.Cut(f.Value, ".")
		octets, err1 := strconv.ParseInt(o, 10, 64)
		streams, err2 := strconv.Atoi(s)
		if !ok || err1 != nil || err2 != nil {
			v.problem(Malformed, BagInfoFile, "Payload-Oxum %q is not OCTETS.STREAMS", f.Value)
			continue
		}
		if octets != v.rep.Octets || streams != v.rep.Files {
			v.problem(Oxum, BagInfoFile, "Payload-Oxum %s, but data/ holds %d bytes in %d files", f.Value, v.rep.Octets, v.rep.Files)
		}
	}
}

func (v *verifier) checkTagManifests(entries map[string]*zip.File, manifests []manifest) {
	for _, m := range manifests {
		if !m.tag {
			continue
		}
		for _, p := range slices.Sorted(maps.Keys(m.sums)) {
			f := entries[p]
			if f == nil {
				v.problem(Removed, p, "listed in %s, missing from the archive", m.name)
				continue
			}
			sums, ok := v.hashFile(p, f, []string{m.alg})
			if ok && sums[m.alg] != m.sums[p] {
				v.problem(Changed, p, "%s checksum differs from %s", m.alg, m.name)
			}
		}
	}
}

func (v *verifier) findUntracked(tagFiles []string, manifests []manifest) {
	for _, rel := range tagFiles {
		if rel == SignatureFile || manifestName.MatchString(rel) && strings.HasPrefix(rel, "tag") {
			continue
		}
		covered := false
		for _, m := range manifests {
			if _, ok := m.sums[rel]; ok && m.tag {
				covered = true
			}
		}
		if !covered {
			v.rep.Untracked = append(v.rep.Untracked, rel)
		}
	}
}

func (v *verifier) checkSignature(sigFile, tagManifest *zip.File, pub ed25519.PublicKey) {
	if sigFile == nil {
		v.rep.Signature = NotSigned
		if pub != nil {
			v.problem(Signature, SignatureFile, "a public key was given, but the archive is not signed")
		}
		return
	}
	v.rep.Signature = SignatureInvalid
	b, ok := v.readTag(SignatureFile, sigFile)
	if !ok {
		return
	}
	sig, err := parseSignatureFile(b)
	if err != nil {
		v.problem(Signature, SignatureFile, "%v", err)
		return
	}
	v.rep.SignedBy = sig.pub
	if pub == nil {
		v.rep.Signature = SignedNotChecked
		return
	}
	if len(pub) != ed25519.PublicKeySize {
		v.problem(Signature, SignatureFile, "the given public key has %d bytes, want %d", len(pub), ed25519.PublicKeySize)
		return
	}
	if tagManifest == nil {
		v.problem(Signature, SignatureFile, "signed file %s is missing", TagManifestFile)
		return
	}
	msg, ok := v.readTag(TagManifestFile, tagManifest)
	if !ok {
		return
	}
	if !ed25519.Verify(pub, msg, sig.sig) {
		detail := "does not verify with the given key " + Fingerprint(pub)
		if !bytes.Equal(sig.pub, pub) {
			detail += "; the archive names key " + Fingerprint(sig.pub)
		} else {
			detail += ": " + TagManifestFile + " or the signature was changed"
		}
		v.problem(Signature, SignatureFile, "%s", detail)
		return
	}
	v.rep.Signature = SignatureValid
	// Public-Key is not itself signed; name the key that actually verified.
	v.rep.SignedBy = pub
}

// splitLines splits b at LF, CRLF or CR, the line endings RFC 8493 allows.
func splitLines(b []byte) []string {
	s := strings.ReplaceAll(string(b), "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// parseFields parses a tag file of "Label: value" lines, where a line
// starting with a space or tab continues the previous value (RFC 8493
// section 2.2.2). It returns the fields and the numbers of malformed lines.
func parseFields(b []byte) ([]Field, []int) {
	var fields []Field
	var bad []int
	for i, line := range splitLines(b) {
		if line == "" {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			if len(fields) == 0 {
				bad = append(bad, i+1)
				continue
			}
			fields[len(fields)-1].Value += " " + strings.TrimSpace(line)
			continue
		}
		label, value, ok := strings.Cut(line, ":")
		if !ok || strings.TrimSpace(label) == "" {
			bad = append(bad, i+1)
			continue
		}
		fields = append(fields, Field{Label: strings.TrimSpace(label), Value: strings.TrimSpace(value)})
	}
	return fields, bad
}

// dedupe sorts problems by path, kind and detail and drops repeats of the
// same kind for the same path (one file missing from two manifests is one
// problem).
func dedupe(ps []Problem) []Problem {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		if c := strings.Compare(string(a.Kind), string(b.Kind)); c != 0 {
			return c
		}
		return strings.Compare(a.Detail, b.Detail)
	})
	out := ps[:0]
	for i, p := range ps {
		if i > 0 && p.Path != "" && (p.Kind == Added || p.Kind == Removed) && ps[i-1].Path == p.Path && ps[i-1].Kind == p.Kind {
			continue
		}
		out = append(out, p)
	}
	return out
}
