package archive

import (
	"bytes"
	"testing"
)

// FuzzVerify checks that Verify never panics and never calls an archive
// valid while also reporting problems, whatever the bytes.
func FuzzVerify(f *testing.F) {
	pub, priv, _ := GenerateKey(nil)
	f.Add(writeBag(f, sampleBag(), nil))
	f.Add(writeBag(f, sampleBag(), priv))
	small := Bag{Name: "b", Files: []File{{"x", []byte("x")}}, Time: bagTime}
	f.Add(writeBag(f, small, nil))
	f.Add([]byte("PK\x05\x06" + string(make([]byte, 18))))
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := Limits{MaxEntries: 1000, MaxTotal: 1 << 20, MaxTagFile: 1 << 16}
		for _, key := range [][]byte{nil, pub} {
			rep, err := VerifyLimits(bytes.NewReader(data), int64(len(data)), key, lim)
			if (err == nil) != rep.OK() {
				t.Fatalf("err %v but %d problems", err, len(rep.Problems))
			}
		}
	})
}

func benchBag() Bag {
	b := sampleBag()
	b.Files = nil
	page := bytes.Repeat([]byte("<div class=\"session\"><h2>Vision</h2><p>Rating 4 → 6; balance gap 15%.</p></div>\n"), 400)
	for i := range 200 {
		b.Files = append(b.Files, File{Path: "site/s" + string(rune('a'+i%26)) + "/" + string(rune('a'+i/26)) + ".html", Data: page})
	}
	return b
}

// BenchmarkWrite measures writing a bag of 200 pages of 34 KB (6.8 MB).
func BenchmarkWrite(b *testing.B) {
	bag := benchBag()
	_, priv, _ := GenerateKey(nil)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := Write(&buf, bag, priv); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "zip-bytes")
}

// BenchmarkVerify measures verifying the bag of BenchmarkWrite.
func BenchmarkVerify(b *testing.B) {
	pub, priv, _ := GenerateKey(nil)
	data := writeBag(b, benchBag(), priv)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := verifyBytes(data, pub); err != nil {
			b.Fatal(err)
		}
	}
}
