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
	Register(Command{Name: "import", Summary: "restore a backup written by export into a data directory", Run: runImport})
}

func runImport(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", DefaultDataDir(), "data directory to restore into")
	keyFile := fs.String("key", "", "key file of the store the backup came from (default: DATA/store.key)")
	encrypt := fs.Bool("encrypt", false, "when DATA is new, encrypt it with DATA/store.key (created 0600)")
	force := fs.Bool("force", false, "replace the data of a store that is not empty")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: replyguard import [--data DIR] [--key FILE] [--encrypt] [--force] FILE\n\n"+
			"Restores a backup written by replyguard export. A store that already holds data\n"+
			"is left alone unless --force is given. Stop replyguard serve first.")
		fs.PrintDefaults()
	}
	// Flags may come before or after the file name.
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(files) != 1 {
		fs.Usage()
		return 2
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "replyguard import: %v\n", err)
		return 1
	}
	f, err := os.Open(files[0])
	if err != nil {
		return fail(fmt.Errorf("backup file: %w", err))
	}
	defer f.Close()
	dir, err := filepath.Abs(*data)
	if err != nil {
		return fail(err)
	}
	// A directory this import creates is removed again if the import
	// fails, so a failed attempt leaves nothing behind.
	entries, statErr := os.ReadDir(dir)
	fresh := os.IsNotExist(statErr) || (statErr == nil && len(entries) == 0)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fail(dataDirError(dir, err))
	}
	succeeded := false
	defer func() {
		if fresh && !succeeded {
			os.RemoveAll(dir)
		}
	}()
	if *encrypt && !fresh {
		if _, err := os.Stat(filepath.Join(dir, storeKeyFile)); err != nil {
			return fail(fmt.Errorf("--encrypt: %s already holds a store that is not encrypted; restore into a new directory", dir))
		}
	}
	if *encrypt {
		if _, err := store.LoadOrCreateKeyFile(filepath.Join(dir, storeKeyFile)); err != nil {
			return fail(fmt.Errorf("encryption key: %w", err))
		}
	}
	var backupKey []byte
	if *keyFile != "" {
		if backupKey, err = store.ReadKeyFile(*keyFile); err != nil {
			return fail(fmt.Errorf("--key: %w", err))
		}
	}
	st, err := openForBackup(dir)
	if err != nil {
		return fail(err)
	}
	err = st.Restore(f, backupKey, *force)
	if cerr := st.Close(); err == nil && cerr != nil {
		err = cerr
	}
	switch {
	case err == nil:
	case errors.Is(err, store.ErrNotEmpty):
		return fail(fmt.Errorf("%s already holds data; nothing was changed. Use --force to replace it with the backup, or --data to restore elsewhere", dir))
	case errors.Is(err, store.ErrBadKey):
		return fail(fmt.Errorf("%s is an encrypted backup: give the key of the store it came from with --key FILE; nothing was changed", files[0]))
	case errors.Is(err, store.ErrBadBackup):
		return fail(fmt.Errorf("%s: %w; nothing was changed", files[0], err))
	default:
		return fail(dataDirError(dir, err))
	}
	succeeded = true
	fmt.Fprintf(stdout, "restored %s into %s\n", files[0], dir)
	return 0
}
