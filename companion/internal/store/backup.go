package store

import (
	"context"
	"sync"

	"bufio"
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"github.com/dgraph-io/badger/v4/pb"
	"github.com/dgraph-io/ristretto/v2/z"
	"google.golang.org/protobuf/proto"
	"hash"
	"io"

	badger "github.com/dgraph-io/badger/v4"
)

// Backup file format: a 6-byte magic and a mode byte ('P' plaintext store,
// 'E' encrypted store; 'E' is followed by a 16-byte salt), then Badger's
// backup stream cut into chunks:
//
//	uint32 big-endian length (high bit set on the last chunk) | payload
//
// In mode 'E' each payload is sealed with AES-256-GCM under
// HKDF-SHA256(store key, salt), nonce = chunk number, additional data
// "last" or "more". In mode 'P' the last chunk is followed by the SHA-256
// of the whole stream. Either way a truncated or altered file is detected,
// and Restore checks the whole file before it changes the store.
const (
	backupMagic = "RGBK01"
	modePlain   = 'P'
	modeSealed  = 'E'
	chunkSize   = 64 << 10
	lastFlag    = 1 << 31
)

var (
	// ErrNotEmpty means Restore was asked to load into a store that already
	// holds data, without force.
	ErrNotEmpty = errors.New("store is not empty")
	// ErrBadBackup means the backup file is not a ReplyGuard backup, is
	// truncated or was altered.
	ErrBadBackup = errors.New("not a valid ReplyGuard backup")
)

// Backup writes a full backup of the store to w. The backup of an
// encrypted store is encrypted with a key derived from the store key, so
// no plaintext leaves the store.
func (s *Store) Backup(w io.Writer) error {
	return s.BackupWithKey(w, s.key)
}

// BackupWithKey writes a full backup encrypted with a key derived from key
// (16, 24 or 32 bytes), or a plaintext one when key is empty: archived
// copies of buyer data should be encrypted even when the store is not.
// Restore needs the same key.
func (s *Store) BackupWithKey(w io.Writer, key []byte) error {
	if n := len(key); n != 0 && n != 16 && n != 24 && n != 32 {
		return fmt.Errorf("backup: %w: key is %d bytes, want 16, 24 or 32", ErrBadKey, n)
	}
	sealed := len(key) > 0
	bw := bufio.NewWriterSize(w, chunkSize)
	cw := &chunkWriter{w: bw, buf: make([]byte, 0, chunkSize), sum: sha256.New()}
	mode := byte(modePlain)
	if sealed {
		mode = modeSealed
	}
	if _, err := bw.WriteString(backupMagic + string(rune(mode))); err != nil {
		return fmt.Errorf("backup: %w", classify(err))
	}
	if sealed {
		salt := make([]byte, 16)
		if _, err := rand.Read(salt); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		aead, err := backupAEAD(key, salt)
		if err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		cw.aead = aead
		if _, err := bw.Write(salt); err != nil {
			return fmt.Errorf("backup: %w", classify(err))
		}
	}
	if err := s.streamLatest(cw); err != nil {
		return fmt.Errorf("backup: %w", classify(err))
	}
	if err := cw.close(); err != nil {
		return fmt.Errorf("backup: %w", classify(err))
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("backup: %w", classify(err))
	}
	return nil
}

func backupAEAD(key, salt []byte) (cipher.AEAD, error) {
	if len(key) == 0 {
		return nil, fmt.Errorf("%w: the backup is encrypted; give the key of the store it came from", ErrBadKey)
	}
	k, err := hkdf.Key(sha256.New, key, salt, "replyguard backup v1", 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(k)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func chunkNonce(n uint64, size int) []byte {
	nonce := make([]byte, size)
	binary.BigEndian.PutUint64(nonce[size-8:], n)
	return nonce
}

var (
	adMore = []byte("more")
	adLast = []byte("last")
)

// chunkWriter frames (and, with aead, seals) the backup stream.
type chunkWriter struct {
	w    io.Writer
	aead cipher.AEAD // nil in plaintext mode
	sum  hash.Hash   // plaintext mode: SHA-256 of the stream
	buf  []byte
	n    uint64
}

func (c *chunkWriter) Write(p []byte) (int, error) {
	total := len(p)
	for len(p) > 0 {
		k := min(chunkSize-len(c.buf), len(p))
		c.buf = append(c.buf, p[:k]...)
		p = p[k:]
		if len(c.buf) == chunkSize {
			if err := c.flush(false); err != nil {
				return 0, err
			}
		}
	}
	return total, nil
}

func (c *chunkWriter) flush(last bool) error {
	payload := c.buf
	if c.aead != nil {
		ad := adMore
		if last {
			ad = adLast
		}
		payload = c.aead.Seal(nil, chunkNonce(c.n, c.aead.NonceSize()), c.buf, ad)
	} else {
		c.sum.Write(c.buf)
	}
	c.n++
	hdr := uint32(len(payload))
	if last {
		hdr |= lastFlag
	}
	if err := binary.Write(c.w, binary.BigEndian, hdr); err != nil {
		return err
	}
	if _, err := c.w.Write(payload); err != nil {
		return err
	}
	c.buf = c.buf[:0]
	if last && c.aead == nil {
		_, err := c.w.Write(c.sum.Sum(nil))
		return err
	}
	return nil
}

func (c *chunkWriter) close() error { return c.flush(true) }

// chunkReader undoes chunkWriter and fails with ErrBadBackup on any
// truncation, reordering or alteration.
type chunkReader struct {
	r    io.Reader
	aead cipher.AEAD
	sum  hash.Hash
	buf  []byte
	n    uint64
	done bool
}

func (c *chunkReader) Read(p []byte) (int, error) {
	for len(c.buf) == 0 {
		if c.done {
			return 0, io.EOF
		}
		if err := c.next(); err != nil {
			return 0, err
		}
	}
	n := copy(p, c.buf)
	c.buf = c.buf[n:]
	return n, nil
}

func (c *chunkReader) next() error {
	var hdr uint32
	if err := binary.Read(c.r, binary.BigEndian, &hdr); err != nil {
		return fmt.Errorf("%w: truncated after chunk %d", ErrBadBackup, c.n)
	}
	last := hdr&lastFlag != 0
	size := hdr &^ lastFlag
	overhead := 0
	if c.aead != nil {
		overhead = c.aead.Overhead()
	}
	if size > uint32(chunkSize+overhead) {
		return fmt.Errorf("%w: chunk %d claims %d bytes", ErrBadBackup, c.n, size)
	}
	payload := make([]byte, size)
	if _, err := io.ReadFull(c.r, payload); err != nil {
		return fmt.Errorf("%w: truncated in chunk %d", ErrBadBackup, c.n)
	}
	if c.aead != nil {
		ad := adMore
		if last {
			ad = adLast
		}
		pt, err := c.aead.Open(payload[:0], chunkNonce(c.n, c.aead.NonceSize()), payload, ad)
		if err != nil {
			return fmt.Errorf("%w: chunk %d does not decrypt (wrong key or altered file)", ErrBadBackup, c.n)
		}
		payload = pt
	} else {
		c.sum.Write(payload)
	}
	c.n++
	c.buf = payload
	if last {
		c.done = true
		if c.aead == nil {
			want := make([]byte, sha256.Size)
			if _, err := io.ReadFull(c.r, want); err != nil {
				return fmt.Errorf("%w: missing checksum", ErrBadBackup)
			}
			if !bytes.Equal(want, c.sum.Sum(nil)) {
				return fmt.Errorf("%w: checksum mismatch", ErrBadBackup)
			}
		}
	}
	return nil
}

// openBackup reads the header and returns the decoded stream.
func openBackup(r io.Reader, key []byte) (io.Reader, error) {
	hdr := make([]byte, len(backupMagic)+1)
	if _, err := io.ReadFull(r, hdr); err != nil || string(hdr[:len(backupMagic)]) != backupMagic {
		return nil, fmt.Errorf("%w: missing header", ErrBadBackup)
	}
	cr := &chunkReader{r: r, sum: sha256.New()}
	switch hdr[len(backupMagic)] {
	case modePlain:
	case modeSealed:
		salt := make([]byte, 16)
		if _, err := io.ReadFull(r, salt); err != nil {
			return nil, fmt.Errorf("%w: truncated header", ErrBadBackup)
		}
		aead, err := backupAEAD(key, salt)
		if err != nil {
			return nil, err
		}
		cr.aead = aead
	default:
		return nil, fmt.Errorf("%w: unknown mode %q", ErrBadBackup, hdr[len(backupMagic)])
	}
	return cr, nil
}

// verifyStream walks Badger's length-prefixed records to the end, so a
// backup whose chunks are intact but whose content is cut is refused too.
func verifyStream(r io.Reader) error {
	br := bufio.NewReaderSize(r, chunkSize)
	for {
		var sz uint64
		if err := binary.Read(br, binary.LittleEndian, &sz); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		if _, err := io.CopyN(io.Discard, br, int64(sz)); err != nil {
			if errors.Is(err, io.EOF) {
				return fmt.Errorf("%w: record cut short", ErrBadBackup)
			}
			return err
		}
	}
}

// Empty reports whether the store holds nothing but its schema marker.
func (s *Store) Empty() (bool, error) {
	empty := true
	err := s.view(func(txn *badger.Txn) error {
		opt := badger.DefaultIteratorOptions
		opt.PrefetchValues = false
		it := txn.NewIterator(opt)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			if !bytes.Equal(it.Item().Key(), []byte(keySchema)) {
				empty = false
				return nil
			}
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("check store empty: %w", err)
	}
	return empty, nil
}

// Restore loads a backup written by Backup. backupKey decrypts an
// encrypted backup (nil means the store's own key). The whole file is
// checked first, so a bad file or a wrong key changes nothing. A store that
// already holds data is refused with ErrNotEmpty unless force is set, in
// which case its data is replaced. Data is re-encrypted with this store's
// key (or stored plain, if this store is not encrypted).
func (s *Store) Restore(r io.ReadSeeker, backupKey []byte, force bool) error {
	if backupKey == nil {
		backupKey = s.key
	}
	start, err := r.Seek(0, io.SeekCurrent)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	src, err := openBackup(r, backupKey)
	if err == nil {
		err = verifyStream(src)
	}
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	empty, err := s.Empty()
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if !empty && !force {
		return fmt.Errorf("restore: %w: %s already holds data; use force to replace it", ErrNotEmpty, s.dir)
	}
	if s.minFree > 0 {
		if err := checkSpace(s.dir, s.minFree); err != nil {
			return fmt.Errorf("restore: %w", err)
		}
	}
	if _, err := r.Seek(start, io.SeekStart); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if src, err = openBackup(r, backupKey); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !empty {
		if err := s.db.DropAll(); err != nil {
			return fmt.Errorf("restore: drop existing data: %w", classify(err))
		}
	}
	if err := s.db.Load(src, 64); err != nil {
		return fmt.Errorf("restore: %w", classify(err))
	}
	if err := s.db.Sync(); err != nil {
		return fmt.Errorf("restore: %w", classify(err))
	}
	// Load leaves everything in overlapping level-0 tables that every
	// read must merge (searches ran 10x slower and RSS tripled); compact
	// now rather than leave it to the background.
	if err := s.db.Flatten(2); err != nil {
		return fmt.Errorf("restore: compact: %w", classify(err))
	}
	if err := s.checkSchema(); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	return nil
}

// streamLatest writes the latest version of every live key in the record
// format of Badger's DB.Backup (which DB.Load reads). DB.Backup itself
// also writes every older version Badger has not compacted away yet,
// which made a 100k-entry backup a quarter larger, and it skips keys it
// fails to read with only a warning; here a read error fails the backup.
func (s *Store) streamLatest(w io.Writer) error {
	stream := s.db.NewStream()
	stream.NumGo = 2
	stream.LogPrefix = "replyguard backup"
	var mu sync.Mutex
	var readErr error
	stream.KeyToList = func(key []byte, itr *badger.Iterator) (*pb.KVList, error) {
		item := itr.Item() // the newest version comes first
		if item.IsDeletedOrExpired() {
			return nil, nil
		}
		val, err := item.ValueCopy(nil)
		if err != nil {
			mu.Lock()
			readErr = errors.Join(readErr, fmt.Errorf("read %q: %w", key, err))
			mu.Unlock()
			return nil, err
		}
		return &pb.KVList{Kv: []*pb.KV{{Key: key, Value: val, UserMeta: []byte{item.UserMeta()},
			Version: item.Version(), ExpiresAt: item.ExpiresAt()}}}, nil
	}
	stream.Send = func(buf *z.Buffer) error {
		list, err := badger.BufferToKVList(buf)
		if err != nil {
			return err
		}
		b, err := proto.Marshal(list)
		if err != nil {
			return err
		}
		if err := binary.Write(w, binary.LittleEndian, uint64(len(b))); err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	}
	if err := stream.Orchestrate(context.Background()); err != nil {
		return err
	}
	return readErr
}
