// Package store keeps the companion's data in a Badger v4 directory:
// templates with their versions, the history of sent replies with a
// persisted full-text index, deadlines, settings and paired clients.
//
// Every value is JSON under a versioned key layout described in
// docs/store.md. Writes are synced before they return, so a nil error means
// the data survives a crash or kill -9.
package store

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	badger "github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"
)

// Errors callers can test with errors.Is.
var (
	// ErrInUse means another process (usually a running `replyguard serve`)
	// holds the data directory. The error text names it when known.
	ErrInUse = errors.New("data directory is in use by another replyguard process")
	// ErrReadOnly means the data directory or its files cannot be written.
	ErrReadOnly = errors.New("data directory is not writable")
	// ErrDiskFull means the file system holding the data directory is full.
	ErrDiskFull = errors.New("no space left on the disk holding the data directory")
	// ErrNotFound means the requested record does not exist.
	ErrNotFound = errors.New("not found")
	// ErrBadKey means the encryption key is missing, malformed or wrong.
	ErrBadKey = errors.New("bad encryption key")
	// ErrInvalid means the caller passed a record that cannot be stored.
	ErrInvalid = errors.New("invalid record")
	// ErrClosed means the store was used after Close.
	ErrClosed = errors.New("store is closed")
)

// Options tunes Open. The zero value is a plaintext store with the real
// clock and background value-log GC every 10 minutes.
type Options struct {
	// EncryptionKey, when set (16, 24 or 32 bytes), encrypts the data at rest
	// with AES. Use ReadKeyFile / CreateKeyFile to keep it in a 0600 file.
	EncryptionKey []byte
	// Owner describes the process opening the store, e.g.
	// "replyguard serve (pid 1234) on 127.0.0.1:7413". It is written next to
	// the data so a second Open can say who holds the directory.
	Owner string
	// Now is the clock used for timestamps; nil means time.Now.
	Now func() time.Time
	// GCInterval is how often value-log GC runs in the background; zero
	// means 10 minutes, negative disables it.
	GCInterval time.Duration
	// Logger receives Badger's warnings and errors; nil discards them.
	Logger *slog.Logger
	// MinFreeSpace is the free disk space below which writes are refused
	// with ErrDiskFull; zero means 64 MB, negative disables the check.
	// Badger writes through memory-mapped files, and a write into a mapped
	// page the disk has no room for kills the process with SIGBUS, so the
	// store stops while Badger still has room for its memtable flushes and
	// compactions.
	MinFreeSpace int64
}

// Store is an open data directory. It is safe for concurrent use.
type Store struct {
	db        *badger.DB
	dir       string
	now       func() time.Time
	encrypted bool
	key       []byte
	minFree   int64

	mu     sync.Mutex // serialises read-modify-write sequences (ids, versions)
	stop   chan struct{}
	wg     sync.WaitGroup
	closed bool
}

// DefaultMinFreeSpace is the default for Options.MinFreeSpace: room for two
// memtable logs, an L0 flush and a compaction with the sizes set below.
const DefaultMinFreeSpace = 64 << 20

// ownerFile names the process holding the directory (see Options.Owner).
const ownerFile = "OWNER"

// badgerOptions are the desktop settings: Badger's defaults take ~400 MB
// for 100k records; these keep an idle companion under ~80 MB RSS.
func badgerOptions(dir string, o Options) badger.Options {
	bo := badger.DefaultOptions(dir).
		WithSyncWrites(true). // durable ack: every commit is fsynced
		WithMemTableSize(8 << 20).
		WithNumMemtables(2).
		WithNumLevelZeroTables(2).
		WithNumLevelZeroTablesStall(8).
		WithBaseTableSize(2 << 20).
		WithBaseLevelSize(8 << 20).
		// ValueThreshold must stay below 15% of MemTableSize or Open fails.
		// 4 KB keeps typical records (about 1 KB) in the LSM tree.
		WithValueThreshold(4 << 10).
		WithValueLogFileSize(64 << 20).
		WithBlockCacheSize(16 << 20).
		WithIndexCacheSize(8 << 20).
		WithNumCompactors(2).
		WithNumGoroutines(2).
		WithMetricsEnabled(false).
		WithCompression(options.Snappy).
		WithLogger(badgerLogger{o.Logger})
	if len(o.EncryptionKey) > 0 {
		bo = bo.WithEncryptionKey(o.EncryptionKey)
	}
	return bo
}

// Open opens (creating if needed) the store in dir.
func Open(dir string, o Options) (*Store, error) {
	if dir == "" {
		return nil, fmt.Errorf("open store: %w: empty data directory", ErrInvalid)
	}
	if n := len(o.EncryptionKey); n != 0 && n != 16 && n != 24 && n != 32 {
		return nil, fmt.Errorf("open store: %w: key is %d bytes, want 16, 24 or 32", ErrBadKey, n)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, classify(fmt.Errorf("open store %s: %w", dir, err))
	}
	// A new store needs room; an existing one opens on a full disk so its
	// data can still be read and exported (writes are refused meanwhile).
	if _, err := os.Stat(filepath.Join(dir, "MANIFEST")); err != nil && o.MinFreeSpace >= 0 {
		if err := checkSpace(dir, cmp.Or(o.MinFreeSpace, DefaultMinFreeSpace)); err != nil {
			return nil, fmt.Errorf("open store %s: %w", dir, err)
		}
	}
	db, err := badger.Open(badgerOptions(dir, o))
	if err != nil {
		return nil, openError(dir, err, len(o.EncryptionKey) > 0)
	}
	s := &Store{
		db:        db,
		dir:       dir,
		now:       o.Now,
		encrypted: len(o.EncryptionKey) > 0,
		key:       append([]byte(nil), o.EncryptionKey...),
		stop:      make(chan struct{}),
		minFree:   o.MinFreeSpace,
	}
	if s.minFree == 0 {
		s.minFree = DefaultMinFreeSpace
	}
	if s.now == nil {
		s.now = time.Now
	}
	if err := s.init(o.Owner); err != nil {
		db.Close()
		return nil, err
	}
	if o.GCInterval >= 0 {
		iv := o.GCInterval
		if iv == 0 {
			iv = 10 * time.Minute
		}
		s.wg.Add(1)
		go s.gcLoop(iv)
	}
	return s, nil
}

// init checks the schema version and records the owner.
func (s *Store) init(owner string) error {
	if err := s.checkSchema(); err != nil {
		return err
	}
	if owner != "" {
		// Informational only (it names the holder in ErrInUse): a full disk
		// must not stop the store from opening for reads.
		_ = os.WriteFile(filepath.Join(s.dir, ownerFile), []byte(owner+"\n"), 0o600)
	}
	return nil
}

// openError turns Badger's open failures into the package's errors.
func openError(dir string, err error, withKey bool) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "Cannot acquire directory lock"), strings.Contains(msg, "resource temporarily unavailable"):
		holder := "another replyguard process"
		if b, rerr := os.ReadFile(filepath.Join(dir, ownerFile)); rerr == nil && len(strings.TrimSpace(string(b))) > 0 {
			holder = strings.TrimSpace(string(b))
		}
		return fmt.Errorf("open store %s: %w (held by %s): %v", dir, ErrInUse, holder, err)
	case strings.Contains(msg, "Encryption key mismatch"), strings.Contains(msg, "encryption key"),
		strings.Contains(msg, "Invalid encryption key"):
		if withKey {
			return fmt.Errorf("open store %s: %w: the key does not match this store, or the store is not encrypted (%v)", dir, ErrBadKey, err)
		}
		return fmt.Errorf("open store %s: %w: the store is encrypted and needs its key (%v)", dir, ErrBadKey, err)
	}
	return classify(fmt.Errorf("open store %s: %w", dir, err))
}

// classify wraps permission and space errors with ErrReadOnly / ErrDiskFull
// so callers can print a clear message.
func classify(err error) error {
	if err == nil {
		return nil
	}
	switch {
	case errors.Is(err, badger.ErrDBClosed):
		return fmt.Errorf("%w: %w", ErrClosed, err)
	case errors.Is(err, syscall.ENOSPC), strings.Contains(err.Error(), "no space left on device"):
		return fmt.Errorf("%w: %w", ErrDiskFull, err)
	case errors.Is(err, syscall.EROFS), errors.Is(err, syscall.EACCES), errors.Is(err, syscall.EPERM),
		errors.Is(err, os.ErrPermission), strings.Contains(err.Error(), "permission denied"),
		strings.Contains(err.Error(), "read-only file system"):
		return fmt.Errorf("%w: %w", ErrReadOnly, err)
	}
	return err
}

// Dir returns the data directory.
func (s *Store) Dir() string { return s.dir }

// Encrypted reports whether the store encrypts data at rest.
func (s *Store) Encrypted() bool { return s.encrypted }

// Close stops background work and closes the directory. It is safe to call
// more than once.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	close(s.stop)
	s.mu.Unlock()
	s.wg.Wait()
	_ = os.Remove(filepath.Join(s.dir, ownerFile))
	if err := s.db.Close(); err != nil {
		return classify(fmt.Errorf("close store: %w", err))
	}
	return nil
}

// gcLoop runs value-log GC until Close.
func (s *Store) gcLoop(every time.Duration) {
	defer s.wg.Done()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.RunGC()
		}
	}
}

// RunGC reclaims value-log space now; it returns the number of files
// rewritten. The background loop calls it; tests and tools may too.
func (s *Store) RunGC() int {
	n := 0
	for n < 8 {
		if err := s.db.RunValueLogGC(0.5); err != nil {
			break
		}
		n++
	}
	return n
}

// badgerLogger forwards Badger's warnings and errors to slog and drops its
// chatty info and debug lines.
type badgerLogger struct{ l *slog.Logger }

func (b badgerLogger) Errorf(f string, a ...any) {
	if b.l != nil {
		b.l.Error("badger: " + strings.TrimSpace(fmt.Sprintf(f, a...)))
	}
}
func (b badgerLogger) Warningf(f string, a ...any) {
	if b.l != nil {
		b.l.Warn("badger: " + strings.TrimSpace(fmt.Sprintf(f, a...)))
	}
}
func (badgerLogger) Infof(string, ...any)  {}
func (badgerLogger) Debugf(string, ...any) {}
