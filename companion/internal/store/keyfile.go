package store

import (
	"crypto/rand"
	"errors"
	"fmt"
	"os"
)

// KeySize is the size of keys made by CreateKeyFile (AES-256).
const KeySize = 32

// CreateKeyFile writes a new random key to path with mode 0600 and returns
// it. It refuses to overwrite an existing file.
func CreateKeyFile(path string) ([]byte, error) {
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("create key file: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, classify(fmt.Errorf("create key file: %w", err))
	}
	if _, err := f.Write(key); err != nil {
		f.Close()
		os.Remove(path)
		return nil, classify(fmt.Errorf("create key file: %w", err))
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, classify(fmt.Errorf("create key file: %w", err))
	}
	if err := f.Close(); err != nil {
		return nil, classify(fmt.Errorf("create key file: %w", err))
	}
	return key, nil
}

// ReadKeyFile reads a key written by CreateKeyFile. It refuses a file that
// group or others may read, as ssh does for private keys.
func ReadKeyFile(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("read key file: %w", err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("read key file %s: %w: mode %04o lets others read it, want 0600", path, ErrBadKey, fi.Mode().Perm())
	}
	key, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read key file: %w", err)
	}
	if n := len(key); n != 16 && n != 24 && n != 32 {
		return nil, fmt.Errorf("read key file %s: %w: %d bytes, want 16, 24 or 32", path, ErrBadKey, n)
	}
	return key, nil
}

// LoadOrCreateKeyFile reads the key at path, creating it if it does not exist.
func LoadOrCreateKeyFile(path string) ([]byte, error) {
	key, err := ReadKeyFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return CreateKeyFile(path)
	}
	return key, err
}
