package export

import (
	"bytes"
	"errors"
	"io"

	"github.com/coachsite/coachsite/generator/report"
)

// The JSON of an export ends in its list of clients: after "clients": [
// comes jsonNoClients when it has none, or the clients' objects and then
// jsonClientsEnd (as json.MarshalIndent lays them out).
const (
	jsonNoClients  = "]" + jsonEnd
	jsonClientsEnd = "\n  ]" + jsonEnd
	jsonEnd        = "\n}\n"
)

// Join returns the files of the export of several clients of rs, put
// together from parts, the files (as Files gives them) of each one's own
// export, in the order of the clients: the same bytes as Files of their
// joint export, without encoding any client again.
func Join(rs *report.Site, parts [][]File) []File {
	none := New(rs, []*report.Client{}).Files()
	bufs := make([]*bytes.Buffer, len(none))
	ws := make([]io.Writer, len(none))
	for i := range bufs {
		bufs[i] = new(bytes.Buffer)
		ws[i] = bufs[i]
	}
	j := NewJoiner(rs, ws)
	for _, p := range parts {
		if err := j.Add(p); err != nil {
			panic(err) // bytes.Buffer does not fail; a part of another site does
		}
	}
	if err := j.Close(); err != nil {
		panic(err)
	}
	files := make([]File, len(none))
	for i, f := range none {
		files[i] = File{Name: f.Name, Data: bufs[i].Bytes()}
	}
	return files
}

// Joiner joins the exports of clients, added one at a time in the order of
// the clients, into their joint export, writing each file as it goes: the
// bytes Join returns, without holding them, so that a build's site-wide
// export costs no memory per client.
type Joiner struct {
	none        []File      // the export of no client: the header of each file
	heads       [][]byte    // what each file starts with before its first client
	seps, tails []string    // between two clients' parts, and after the last
	out         []io.Writer // one per file, in the order of Files
	started     bool
	added       []bool // a client's part was written to the file
	err         error
}

// ErrForeignPart is returned by Joiner.Add for files that are not the export
// of a client of the joiner's site.
var ErrForeignPart = errors.New("export: joining files that are not an export of the same site")

// NewJoiner returns a joiner of exports of clients of rs writing data.json
// and the CSV files, in the order Files gives them, to out.
func NewJoiner(rs *report.Site, out []io.Writer) *Joiner {
	none := New(rs, []*report.Client{}).Files()
	j := &Joiner{none: none, out: out, added: make([]bool, len(none))}
	for _, f := range none {
		head, sep, tail := f.Data, "", ""
		if f.Name == JSONFile {
			head, sep, tail = bytes.TrimSuffix(f.Data, []byte(jsonNoClients)), ",", jsonClientsEnd
		}
		j.heads, j.seps, j.tails = append(j.heads, head), append(j.seps, sep), append(j.tails, tail)
	}
	return j
}

// Add writes the clients of part, an export as Files gives it.
func (j *Joiner) Add(part []File) error {
	if j.err != nil {
		return j.err
	}
	if len(part) != len(j.none) {
		return ErrForeignPart
	}
	for k, f := range part {
		if f.Name != j.none[k].Name {
			return ErrForeignPart
		}
		if bytes.Equal(f.Data, j.none[k].Data) {
			continue // a part of no client
		}
		if !bytes.HasPrefix(f.Data, j.heads[k]) || !bytes.HasSuffix(f.Data, []byte(j.tails[k])) {
			return ErrForeignPart
		}
	}
	j.start()
	for k, f := range part {
		if bytes.Equal(f.Data, j.none[k].Data) {
			continue // a part of no client
		}
		if j.added[k] {
			j.write(k, []byte(j.seps[k]))
		}
		j.write(k, f.Data[len(j.heads[k]):len(f.Data)-len(j.tails[k])])
		j.added[k] = true
	}
	return j.err
}

// Close ends every file; the joiner takes no more parts.
func (j *Joiner) Close() error {
	j.start()
	for k := range j.out {
		if j.added[k] {
			j.write(k, []byte(j.tails[k]))
		} else {
			j.write(k, j.none[k].Data[len(j.heads[k]):])
		}
	}
	if j.err == nil {
		j.err = errors.New("export: joiner closed")
		return nil
	}
	return j.err
}

func (j *Joiner) start() {
	if j.started {
		return
	}
	j.started = true
	for k := range j.out {
		j.write(k, j.heads[k])
	}
}

func (j *Joiner) write(k int, b []byte) {
	if j.err == nil {
		_, j.err = j.out[k].Write(b)
	}
}
