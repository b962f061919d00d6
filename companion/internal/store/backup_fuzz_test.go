package store

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// FuzzBackupReader feeds arbitrary bytes to the backup decoder: it must
// return an error or a stream, never panic or allocate without bound.
func FuzzBackupReader(f *testing.F) {
	key := bytes.Repeat([]byte{3}, 32)
	for _, k := range [][]byte{nil, key} {
		s, err := Open(f.TempDir(), Options{EncryptionKey: k, GCInterval: -1})
		if err != nil {
			f.Fatal(err)
		}
		s.SetSetting("a", "b")
		var buf bytes.Buffer
		if err := s.Backup(&buf); err != nil {
			f.Fatal(err)
		}
		s.Close()
		f.Add(buf.Bytes())
	}
	f.Add([]byte("RGBK01P"))
	f.Add([]byte("RGBK01E0123456789abcdef"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := openBackup(bytes.NewReader(data), key)
		if err != nil {
			return
		}
		err = verifyStream(r)
		if err != nil && !errors.Is(err, ErrBadBackup) && !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("unexpected error kind: %v", err)
		}
	})
}
