package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/replyguard/replyguard/companion/internal/store"
)

func init() {
	Register(Command{Name: "export", Summary: "write a full backup of the data directory to a file", Run: runExport})
}

// storeKeyFile is where serve --encrypt keeps the store key.
const storeKeyFile = "store.key"

// openForBackup opens the store in dir, encrypted when dir holds a key
// file, with messages a seller understands.
func openForBackup(dir string) (*store.Store, error) {
	var key []byte
	kp := filepath.Join(dir, storeKeyFile)
	if _, err := os.Stat(kp); err == nil {
		if key, err = store.ReadKeyFile(kp); err != nil {
			return nil, fmt.Errorf("encryption key: %w", err)
		}
	}
	st, err := store.Open(dir, store.Options{EncryptionKey: key, GCInterval: -1,
		Owner: fmt.Sprintf("replyguard export/import (pid %d)", os.Getpid())})
	switch {
	case err == nil:
		return st, nil
	case errors.Is(err, store.ErrInUse):
		return nil, inUseError(dir, err)
	case errors.Is(err, store.ErrBadKey) && key == nil:
		return nil, fmt.Errorf("the store in %s is encrypted but %s is missing (%w)", dir, kp, err)
	case errors.Is(err, store.ErrBadKey):
		return nil, fmt.Errorf("the key %s does not open the store in %s (%w)", kp, dir, err)
	}
	return nil, dataDirError(dir, err)
}

func runExport(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", DefaultDataDir(), "data directory to back up")
	out := fs.String("out", "", "backup file to write (- for standard output)")
	keyFile := fs.String("key", "", "encrypt the backup with the key in this file (created 0600 if missing);\nthe backup of an encrypted store is always encrypted, by default with its own key")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: replyguard export [--data DIR] [--key FILE] --out FILE\n\n"+
			"Writes a full backup. The backup of an encrypted store is encrypted with its key\n"+
			"(keep DIR/store.key to restore it); --key encrypts any backup with another key.\n"+
			"Stop replyguard serve first.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *out == "" || fs.NArg() != 0 {
		fs.Usage()
		return 2
	}
	dir, err := filepath.Abs(*data)
	if err != nil {
		fmt.Fprintf(stderr, "replyguard export: %v\n", err)
		return 1
	}
	if _, err := os.Stat(dir); err != nil {
		fmt.Fprintf(stderr, "replyguard export: no data directory at %s\n", dir)
		return 1
	}
	var backupKey []byte
	if *keyFile != "" {
		if backupKey, err = store.LoadOrCreateKeyFile(*keyFile); err != nil {
			fmt.Fprintf(stderr, "replyguard export: --key: %v\n", err)
			return 1
		}
	}
	st, err := openForBackup(dir)
	if err != nil {
		fmt.Fprintf(stderr, "replyguard export: %v\n", err)
		return 1
	}
	defer st.Close()
	if backupKey == nil && st.Encrypted() {
		if backupKey, err = store.ReadKeyFile(filepath.Join(dir, storeKeyFile)); err != nil {
			fmt.Fprintf(stderr, "replyguard export: %v\n", err)
			return 1
		}
	}
	backup := func(w io.Writer) error { return st.BackupWithKey(w, backupKey) }
	if *out == "-" {
		if err := backup(stdout); err != nil {
			fmt.Fprintf(stderr, "replyguard export: %v\n", err)
			return 1
		}
		return 0
	}
	if err := writeAtomically(*out, backup); err != nil {
		fmt.Fprintf(stderr, "replyguard export: %v\n", err)
		return 1
	}
	kind := "plaintext"
	if backupKey != nil {
		kind = "encrypted"
	}
	fmt.Fprintf(stderr, "wrote %s backup of %s to %s\n", kind, dir, *out)
	return 0
}

// writeAtomically writes through a 0600 temporary file renamed into place,
// so a failed export never leaves a half-written backup under the name.
func writeAtomically(path string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("create backup file: %w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("write backup file: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write backup file: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write backup file: %w", err)
	}
	return nil
}
