// Package archive packages a finished coaching engagement as a BagIt bag
// (RFC 8493) inside a reproducible zip file, optionally signed with Ed25519,
// and verifies such archives.
//
// A bag written by [Write] unzips to a single folder:
//
//	<name>/bagit.txt               BagIt-Version 1.0, UTF-8 tag files
//	<name>/bag-info.txt            the engagement's metadata (Bag.Info) and computed fields
//	<name>/manifest-sha256.txt     "<sha256>  data/<path>" for every payload file
//	<name>/tagmanifest-sha256.txt  checksums of the three tag files above
//	<name>/coachsite-signature.txt optional Ed25519 signature over tagmanifest-sha256.txt
//	<name>/data/...                the payload (Bag.Files)
//
// The same Bag gives the same bytes: entries are sorted, every entry has the
// same modification time (Bag.Time) and permissions, no extra fields, and
// is deflated at a fixed level. See docs/archive.md for the format in full.
package archive

//lint:file-ignore SA1019 zip entries carry the MS-DOS date and time only (see Write)
import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Names of the tag files a coachsite bag holds, relative to the bag folder.
const (
	BagItFile       = "bagit.txt"
	BagInfoFile     = "bag-info.txt"
	ManifestFile    = "manifest-sha256.txt"
	TagManifestFile = "tagmanifest-sha256.txt"
	SignatureFile   = "coachsite-signature.txt"
	PayloadDir      = "data"
)

// bagItTxt is the whole of bagit.txt, exactly as RFC 8493 section 2.1.1 asks.
const bagItTxt = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"

// CompressionLevel is the deflate level of every compressed entry. It is
// fixed so that the same input always gives the same archive. Level 9 saves
// about 0.1% on the vendored ECharts build and takes half as long again.
const CompressionLevel = 6

// File is one payload file of a bag.
type File struct {
	Path string // relative to the bag's data/ folder, "/"-separated, e.g. "site/index.html"
	Data []byte
}

// Field is one "Label: Value" line of bag-info.txt.
type Field struct {
	Label string
	Value string
}

// Bag is everything [Write] needs to produce an archive.
type Bag struct {
	// Name is the bag's top-level folder inside the zip: ASCII letters,
	// digits, '.', '_' and '-', not starting with '.'.
	Name string
	// Info is written to bag-info.txt in this order, for example
	// Source-Organization, Contact-Name, External-Description,
	// External-Identifier, Coaching-Client, Engagement-Started. A label may
	// repeat. Bagging-Date, Bag-Size and Payload-Oxum are computed and
	// appended by Write; Info must not hold them.
	Info []Field
	// Files is the payload, in any order; Write sorts it.
	Files []File
	// Time is the bagging time: it gives Bagging-Date and the modification
	// time of every zip entry. It must be set (see [SourceDateEpoch]); Write
	// never reads the clock.
	Time time.Time
}

// computedLabels are the bag-info.txt labels Write fills in itself.
var computedLabels = []string{"Bagging-Date", "Bag-Size", "Payload-Oxum"}

// Write writes b to w as a zipped BagIt bag. When signer is not nil, the bag
// also holds coachsite-signature.txt, an Ed25519 signature by signer over
// tagmanifest-sha256.txt. Write keeps the whole bag in memory; it writes
// nothing to w when b is invalid.
func Write(w io.Writer, b Bag, signer ed25519.PrivateKey) error {
	if err := checkBagName(b.Name); err != nil {
		return err
	}
	if b.Time.IsZero() {
		return errors.New("archive: Bag.Time is not set (use SourceDateEpoch or a fixed time)")
	}
	if signer != nil && len(signer) != ed25519.PrivateKeySize {
		return fmt.Errorf("archive: signing key has %d bytes, want %d", len(signer), ed25519.PrivateKeySize)
	}
	files := slices.Clone(b.Files)
	slices.SortFunc(files, func(x, y File) int { return strings.Compare(x.Path, y.Path) })
	if err := checkPayloadPaths(files); err != nil {
		return err
	}

	var manifest bytes.Buffer
	var octets int64
	for _, f := range files {
		sum := sha256.Sum256(f.Data)
		manifest.WriteString(hex.EncodeToString(sum[:]))
		manifest.WriteString("  ")
		manifest.WriteString(EncodePath(PayloadDir + "/" + f.Path))
		manifest.WriteByte('\n')
		octets += int64(len(f.Data))
	}

	info, err := bagInfo(b, octets, len(files))
	if err != nil {
		return err
	}

	tags := []File{
		{BagItFile, []byte(bagItTxt)},
		{BagInfoFile, info},
		{ManifestFile, manifest.Bytes()},
	}
	slices.SortFunc(tags, func(x, y File) int { return strings.Compare(x.Path, y.Path) })
	var tagManifest bytes.Buffer
	for _, t := range tags {
		sum := sha256.Sum256(t.Data)
		fmt.Fprintf(&tagManifest, "%x  %s\n", sum, t.Path)
	}
	tags = append(tags, File{TagManifestFile, tagManifest.Bytes()})
	if signer != nil {
		tags = append(tags, File{SignatureFile, signatureFile(signer, tagManifest.Bytes())})
	}

	entries := make([]File, 0, len(tags)+len(files))
	for _, t := range tags {
		entries = append(entries, File{b.Name + "/" + t.Path, t.Data})
	}
	for _, f := range files {
		entries = append(entries, File{b.Name + "/" + PayloadDir + "/" + f.Path, f.Data})
	}
	slices.SortFunc(entries, func(x, y File) int { return strings.Compare(x.Path, y.Path) })
	return writeZip(w, entries, b.Time)
}

// writeZip writes entries, already sorted, as a zip file whose bytes depend
// only on the entries and t.
func writeZip(w io.Writer, entries []File, t time.Time) error {
	date, tod := msDosTime(t)
	zw := zip.NewWriter(w)
	var comp bytes.Buffer
	fw, err := flate.NewWriter(&comp, CompressionLevel)
	if err != nil {
		return err
	}
	for _, e := range entries {
		comp.Reset()
		fw.Reset(&comp)
		if _, err := fw.Write(e.Data); err != nil {
			return err
		}
		if err := fw.Close(); err != nil {
			return err
		}
		// The MS-DOS date and time fields, deprecated, on purpose: Modified
		// would add an extended timestamp field to every entry.
		fh := &zip.FileHeader{
			Name:               e.Path,
			Method:             zip.Deflate,
			ModifiedDate:       date,
			ModifiedTime:       tod,
			CRC32:              crc32.ChecksumIEEE(e.Data),
			CompressedSize64:   uint64(comp.Len()),
			UncompressedSize64: uint64(len(e.Data)),
			ReaderVersion:      20,
			CreatorVersion:     20,
		}
		body := comp.Bytes()
		// Already-compressed files (images, fonts) would grow: store them.
		if comp.Len() >= len(e.Data) {
			fh.Method = zip.Store
			fh.CompressedSize64 = uint64(len(e.Data))
			body = e.Data
		}
		if !isASCII(e.Path) {
			fh.Flags |= 0x800 // the name is UTF-8 (APPNOTE 4.4.4, bit 11)
		}
		fh.SetMode(0o644)
		// Leaving fh.Modified zero keeps Go from adding an extended
		// timestamp extra field; the MS-DOS fields above carry the time.
		ew, err := zw.CreateRaw(fh)
		if err != nil {
			return fmt.Errorf("archive: %s: %w", e.Path, err)
		}
		if _, err := ew.Write(body); err != nil {
			return err
		}
	}
	return zw.Close()
}

// msDosTime returns t (in UTC) in the MS-DOS date and time format of zip
// headers. MS-DOS time has a resolution of two seconds and starts in 1980, so
// earlier times (SOURCE_DATE_EPOCH=0 is common) become 1980-01-01 00:00:00
// and later than 2107 become the last representable moment.
func msDosTime(t time.Time) (date, tod uint16) {
	t = t.UTC()
	if t.Year() < 1980 {
		t = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if t.Year() > 2107 {
		t = time.Date(2107, 12, 31, 23, 59, 58, 0, time.UTC)
	}
	date = uint16(t.Day() + int(t.Month())<<5 + (t.Year()-1980)<<9)
	tod = uint16(t.Second()/2 + t.Minute()<<5 + t.Hour()<<11)
	return date, tod
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// bagInfo returns the bytes of bag-info.txt: b.Info, then the computed
// Bagging-Date, Bag-Size and Payload-Oxum.
func bagInfo(b Bag, octets int64, streams int) ([]byte, error) {
	var buf bytes.Buffer
	for _, f := range b.Info {
		if err := checkField(f); err != nil {
			return nil, err
		}
		for _, c := range computedLabels {
			if strings.EqualFold(f.Label, c) {
				return nil, fmt.Errorf("archive: bag-info label %q is computed by Write; leave it out of Bag.Info", f.Label)
			}
		}
		writeField(&buf, f.Label, strings.TrimSpace(f.Value))
	}
	writeField(&buf, "Bagging-Date", b.Time.UTC().Format(time.DateOnly))
	writeField(&buf, "Bag-Size", humanSize(octets))
	writeField(&buf, "Payload-Oxum", strconv.FormatInt(octets, 10)+"."+strconv.Itoa(streams))
	return buf.Bytes(), nil
}

func writeField(buf *bytes.Buffer, label, value string) {
	buf.WriteString(label)
	buf.WriteString(": ")
	buf.WriteString(value)
	buf.WriteByte('\n')
}

// checkField reports whether f can be written as one bag-info.txt line that
// reads back as the same label and value.
func checkField(f Field) error {
	if f.Label == "" || strings.TrimSpace(f.Label) != f.Label || strings.ContainsAny(f.Label, ":\r\n") {
		return fmt.Errorf("archive: bag-info label %q: must be non-empty, without ':', line breaks or surrounding spaces", f.Label)
	}
	if strings.ContainsAny(f.Value, "\r\n") {
		return fmt.Errorf("archive: bag-info %s: value must be a single line", f.Label)
	}
	if !utf8.ValidString(f.Label) || !utf8.ValidString(f.Value) {
		return fmt.Errorf("archive: bag-info %s: not valid UTF-8", f.Label)
	}
	return nil
}

// humanSize formats n octets the way RFC 8493's Bag-Size examples do, with
// decimal units: "512 B", "12.3 KB", "4.2 MB".
func humanSize(n int64) string {
	units := []string{"B", "KB", "MB", "GB", "TB", "PB"}
	if n < 1000 {
		return strconv.FormatInt(n, 10) + " B"
	}
	v := float64(n)
	i := 0
	for v >= 1000 && i < len(units)-1 {
		v /= 1000
		i++
	}
	return strconv.FormatFloat(v, 'f', 1, 64) + " " + units[i]
}

// checkBagName reports whether name is a portable folder name.
func checkBagName(name string) error {
	if name == "" || name[0] == '.' || len(name) > 200 {
		return fmt.Errorf("archive: bag name %q: must be 1-200 characters and not start with '.'", name)
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return fmt.Errorf("archive: bag name %q: only ASCII letters, digits, '.', '_' and '-' are allowed", name)
		}
	}
	return nil
}

// checkPayloadPaths reports the first payload path, of files sorted by path,
// that could not be extracted safely and faithfully everywhere: unsafe or
// malformed paths, duplicates (also ones differing only in case, which
// collide on Windows and macOS) and a file that is also a folder.
func checkPayloadPaths(files []File) error {
	folded := make(map[string]string, len(files))
	isFile := make(map[string]bool, len(files))
	for _, f := range files {
		if !utf8.ValidString(f.Path) {
			return fmt.Errorf("archive: payload path %q: not valid UTF-8", f.Path)
		}
		if why := unsafePath(f.Path); why != "" {
			return fmt.Errorf("archive: payload path %q: %s", f.Path, why)
		}
		key := strings.ToLower(f.Path)
		if prev, ok := folded[key]; ok {
			return fmt.Errorf("archive: payload paths %q and %q name the same file on case-insensitive systems", prev, f.Path)
		}
		folded[key] = f.Path
		isFile[f.Path] = true
	}
	for _, f := range files {
		for dir := path.Dir(f.Path); dir != "."; dir = path.Dir(dir) {
			if isFile[dir] {
				return fmt.Errorf("archive: payload path %q: %q is a file, not a folder", f.Path, dir)
			}
		}
	}
	return nil
}

// unsafePath returns why p, a "/"-separated relative path, may not appear in
// a bag, or "" when it may.
func unsafePath(p string) string {
	switch {
	case p == "":
		return "empty path"
	case strings.HasPrefix(p, "/"):
		return "absolute path"
	case strings.ContainsRune(p, '\\'):
		return "contains a backslash"
	case strings.ContainsRune(p, 0):
		return "contains a NUL byte"
	case len(p) >= 2 && p[1] == ':':
		return "starts with a drive letter"
	}
	for _, seg := range strings.Split(p, "/") {
		switch seg {
		case "":
			return "empty path segment"
		case ".", "..":
			return "contains a '" + seg + "' segment"
		}
	}
	return ""
}

// EncodePath percent-encodes a file path for a manifest line as RFC 8493
// section 2.1.3 asks: "%" as %25, LF as %0A, CR as %0D. It is what
// bagit-python does too.
func EncodePath(p string) string {
	if !strings.ContainsAny(p, "%\r\n") {
		return p
	}
	r := strings.NewReplacer("%", "%25", "\n", "%0A", "\r", "%0D")
	return r.Replace(p)
}

// DecodePath reverses [EncodePath]; %0a, %0d (lower case) decode as well. Any
// other '%' is kept as it is.
func DecodePath(p string) string {
	if !strings.Contains(p, "%") {
		return p
	}
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] == '%' && i+2 < len(p) {
			switch strings.ToUpper(p[i+1 : i+3]) {
			case "25":
				b.WriteByte('%')
				i += 2
				continue
			case "0A":
				b.WriteByte('\n')
				i += 2
				continue
			case "0D":
				b.WriteByte('\r')
				i += 2
				continue
			}
		}
		b.WriteByte(p[i])
	}
	return b.String()
}

// SourceDateEpoch returns the time named by the SOURCE_DATE_EPOCH environment
// variable (https://reproducible-builds.org/specs/source-date-epoch/), for
// Bag.Time. ok is false when the variable is unset or empty; err is set when
// it is not a non-negative decimal integer.
func SourceDateEpoch() (t time.Time, ok bool, err error) {
	s := os.Getenv("SOURCE_DATE_EPOCH")
	if s == "" {
		return time.Time{}, false, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return time.Time{}, false, fmt.Errorf("archive: SOURCE_DATE_EPOCH=%q is not a non-negative number of seconds", s)
	}
	return time.Unix(n, 0).UTC(), true, nil
}

// FilesFromFS returns every regular file under root in fsys as payload
// files, with paths prefix + "/" + the path below root (or no prefix when
// prefix is ""). It fails on anything that is neither a folder nor a regular
// file, such as a symbolic link, so that an archive never depends on what a
// link points to.
func FilesFromFS(fsys fs.FS, root, prefix string) ([]File, error) {
	var files []File
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("archive: %s: not a regular file", p)
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		rel := p
		if root != "." {
			rel = strings.TrimPrefix(p, root+"/")
		}
		if prefix != "" {
			rel = prefix + "/" + rel
		}
		files = append(files, File{Path: rel, Data: data})
		return nil
	})
	return files, err
}
