package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"syscall"
	"time"

	"github.com/replyguard/replyguard/companion/internal/auth"
	"github.com/replyguard/replyguard/companion/internal/deadline"
	"github.com/replyguard/replyguard/companion/internal/policyhost"
	"github.com/replyguard/replyguard/companion/internal/retention"
	"github.com/replyguard/replyguard/companion/internal/server"
	"github.com/replyguard/replyguard/companion/internal/store"
	"github.com/replyguard/replyguard/companion/internal/web"
	"github.com/replyguard/replyguard/policy"
	"github.com/replyguard/replyguard/templates"
)

func init() {
	Register(Command{Name: "serve", Summary: "run the local companion for the extension (the default)", Run: runServe})
}

// DefaultAddr is where serve listens unless --addr says otherwise.
var DefaultAddr = "127.0.0.1:" + strconv.Itoa(server.DefaultPort)

// DefaultDataDir is the data directory used when --data is not given:
// $XDG_DATA_HOME/replyguard (~/.local/share/replyguard) on Linux and the BSDs,
// the user config directory elsewhere (Application Support on macOS,
// %AppData% on Windows).
func DefaultDataDir() string {
	switch runtime.GOOS {
	case "darwin", "windows", "ios", "android", "plan9":
	default:
		if d := os.Getenv("XDG_DATA_HOME"); filepath.IsAbs(d) {
			return filepath.Join(d, "replyguard")
		}
		if h, err := os.UserHomeDir(); err == nil {
			return filepath.Join(h, ".local", "share", "replyguard")
		}
	}
	if d, err := os.UserConfigDir(); err == nil {
		return filepath.Join(d, "replyguard")
	}
	return "replyguard-data"
}

// ServeConfig configures Serve.
type ServeConfig struct {
	Addr    string // loopback host:port
	DataDir string
	// Encrypt encrypts the store with the key in DataDir/store.key (0600),
	// created on first use.
	Encrypt bool
	// CacheDir is wazero's compilation cache ("" = default, "off").
	CacheDir string
	Logger   *slog.Logger
	// Server tunes the server: Web mounts the local web page, tests shorten
	// timeouts. Auth, Store, Policy and Render are filled in by Serve.
	Server server.Options
}

// serveInfoFile names the running server (pid, address) next to the store,
// so a second serve or another tool can say which one holds the directory.
const serveInfoFile = "serve.json"

type serveInfo struct {
	PID     int       `json:"pid"`
	Addr    string    `json:"addr"`
	URL     string    `json:"url"`
	Started time.Time `json:"started"`
}

func runServe(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", DefaultAddr, "loopback address to listen on (127.0.0.1:PORT or [::1]:PORT)")
	data := fs.String("data", DefaultDataDir(), "data directory (store, install secret, paired browsers)")
	encrypt := fs.Bool("encrypt", false, "encrypt the store at rest with DATA/store.key (created 0600 on first use)")
	verbose := fs.Bool("v", false, "log connections and requests")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: replyguard serve [--addr %s] [--data DIR] [--encrypt]\n\n", DefaultAddr)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitTrouble
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "replyguard serve: unexpected argument %q\n", fs.Arg(0))
		return exitTrouble
	}
	level := slog.LevelWarn
	if *verbose {
		level = slog.LevelInfo
	}
	cfg := ServeConfig{
		Addr: *addr, DataDir: *data, Encrypt: *encrypt,
		CacheDir: os.Getenv("REPLYGUARD_WAZERO_CACHE"),
		Logger:   slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level})),
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := Serve(ctx, cfg, func(s *server.Server) {
		fmt.Fprintf(stdout, "ReplyGuard companion ready: %s (pair your browser at %ssettings)\n", s.URL(), s.URL())
	})
	if err != nil {
		fmt.Fprintf(stderr, "replyguard serve: %v\n", err)
		return 1
	}
	return 0
}

// Serve runs the companion until ctx is done: it opens the data directory,
// starts the policy engine, listens, calls ready, and on cancellation closes
// websockets with "going away" and everything else in order.
func Serve(ctx context.Context, cfg ServeConfig, ready func(*server.Server)) error {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	start := time.Now()
	step := func(what string) { cfg.Logger.Info(what, "elapsed", time.Since(start).Round(time.Microsecond)) }
	if !server.IsLoopback(cfg.Addr) {
		return fmt.Errorf("--addr %q: the companion listens on loopback only (127.0.0.1:PORT or [::1]:PORT)", cfg.Addr)
	}
	dir, err := filepath.Abs(cfg.DataDir)
	if err != nil {
		return fmt.Errorf("data directory %q: %w", cfg.DataDir, err)
	}
	if err := checkDataDir(dir); err != nil {
		return err
	}

	var key []byte
	if cfg.Encrypt {
		if key, err = store.LoadOrCreateKeyFile(filepath.Join(dir, "store.key")); err != nil {
			return fmt.Errorf("encryption key: %w", err)
		}
	}
	owner := fmt.Sprintf("replyguard serve (pid %d) on http://%s/", os.Getpid(), cfg.Addr)
	st, err := store.Open(dir, store.Options{EncryptionKey: key, Owner: owner, Logger: cfg.Logger})
	if err != nil {
		if errors.Is(err, store.ErrInUse) {
			return inUseError(dir, err)
		}
		return dataDirError(dir, err)
	}
	defer st.Close()
	step("store open")

	am, err := auth.Open(dir)
	if err != nil {
		return dataDirError(dir, err)
	}
	step("auth open")
	// The policy engine (policy.wasm under wazero) starts in the background:
	// the server is ready as soon as it listens, answers what needs no
	// linting at once, and holds lint-dependent requests until the engine is
	// up (see lazyPolicy). Built-in templates are seeded once it is.
	pol := &lazyPolicy{ready: make(chan struct{})}
	var srv *server.Server
	engCtx, stopEng := context.WithCancel(context.Background())
	defer stopEng()
	engFailed := make(chan error, 1)
	defer func() {
		stopEng()
		select {
		case <-pol.ready:
		case <-time.After(10 * time.Second):
			return // still starting after cancellation: the process ends anyway
		}
		if pol.eng != nil {
			pol.eng.Close(context.Background())
		}
	}()

	ln, err := server.Listen(cfg.Addr)
	if err != nil {
		return err
	}
	// The scheduler is created before the server (the server wakes it) and
	// notifies the server once it exists; Run starts after both.
	sched := deadline.New(st, deadline.Options{
		Logger: cfg.Logger,
		Notify: func(ev deadline.Event) { srv.PushDeadlineEvent(ev.Name, ev.Deadline) },
	})
	opt := cfg.Server
	opt.Auth, opt.Store, opt.Policy, opt.Render = am, st, pol, renderTemplate
	var pages *web.Web
	if opt.Web == nil {
		// The local web page (companion/internal/web).
		pages, err = web.New(web.Deps{Store: st, Policy: pol, Auth: am, Version: opt.Version, Logger: cfg.Logger,
			TemplatesChanged: func(ids []string) { srv.PushTemplatesChanged(ids) }})
		if err != nil {
			ln.Close()
			return err
		}
		opt.Web = pages.Mount
		step("web page ready")
	}
	opt.DeadlinesChanged = sched.Wake
	if opt.Logger == nil {
		opt.Logger = cfg.Logger
	}
	srv, err = server.New(ln, opt)
	if err != nil {
		ln.Close()
		return err
	}
	step("server built")
	schedCtx, stopSched := context.WithCancel(context.Background())
	schedDone := make(chan struct{})
	go func() { defer close(schedDone); sched.Run(schedCtx) }()
	defer func() { stopSched(); <-schedDone }()
	if pages != nil {
		// Buyer data older than the period chosen on the settings page is
		// redacted hourly (retention package).
		retDone := make(chan struct{})
		go func() {
			defer close(retDone)
			retention.Run(schedCtx, st, retention.Options{PeriodFrom: pages.RetentionPeriod, Logger: cfg.Logger})
		}()
		defer func() { stopSched(); <-retDone }()
	}
	info := serveInfo{PID: os.Getpid(), Addr: srv.Addr(), URL: srv.URL(), Started: time.Now().UTC()}
	if b, err := json.Marshal(info); err == nil {
		_ = os.WriteFile(filepath.Join(dir, serveInfoFile), append(b, '\n'), 0o600)
	}
	defer os.Remove(filepath.Join(dir, serveInfoFile))

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve() }()
	step("listening")
	if ready != nil {
		ready(srv)
	}
	// Only now the heavy part: compiling and starting policy.wasm would
	// otherwise compete with opening and listening for the CPU.
	go func() {
		// One instance: each holds the Go wasm runtime's linear memory
		// (about 150-200 MB), and a seller's replies do not need parallel
		// linting.
		eng, err := policyhost.New(engCtx, policyhost.Options{CacheDir: cfg.CacheDir, Instances: 1})
		if err == nil {
			step("policy engine ready")
			var added []string
			added, err = seedTemplates(engCtx, st, eng)
			if err == nil {
				step("templates seeded")
				if len(added) > 0 {
					srv.PushTemplatesChanged(added)
				}
			}
			// Starting left garbage (module loading, seeding); an idle
			// companion should not keep it mapped.
			debug.FreeOSMemory()
		}
		pol.set(eng, err)
		if err != nil {
			engFailed <- err
		}
	}()

	var runErr error
	select {
	case err := <-errc:
		return fmt.Errorf("server stopped: %w", err)
	case err := <-engFailed:
		runErr = fmt.Errorf("start the policy engine: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start = time.Now()
	if err := srv.Shutdown(sctx); err != nil {
		cfg.Logger.Warn("shutdown", "err", err)
	}
	step("server stopped")
	stopEng()
	return runErr
}

// checkDataDir creates the data directory and proves it writable with a
// small synced write, so a read-only or full disk is reported before
// anything else starts, in words a seller understands.
func checkDataDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return dataDirError(dir, err)
	}
	f, err := os.CreateTemp(dir, ".probe-*")
	if err != nil {
		return dataDirError(dir, err)
	}
	name := f.Name()
	defer os.Remove(name)
	_, werr := f.Write(make([]byte, 64<<10))
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		return dataDirError(dir, err)
	}
	return nil
}

func dataDirError(dir string, err error) error {
	switch {
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, store.ErrDiskFull):
		return fmt.Errorf("the disk holding the data directory %s is full: free some space and start again (%w)", dir, err)
	case errors.Is(err, syscall.EROFS), errors.Is(err, os.ErrPermission), errors.Is(err, store.ErrReadOnly):
		return fmt.Errorf("the data directory %s is not writable: choose another with --data or fix its permissions (%w)", dir, err)
	}
	return fmt.Errorf("data directory %s: %w", dir, err)
}

// inUseError names the process that holds the data directory.
func inUseError(dir string, err error) error {
	var info serveInfo
	if b, rerr := os.ReadFile(filepath.Join(dir, serveInfoFile)); rerr == nil && json.Unmarshal(b, &info) == nil && info.PID > 0 {
		return fmt.Errorf("another replyguard serve (pid %d, %s) is already running on the data directory %s; stop it first or use --data", info.PID, info.URL, dir)
	}
	return fmt.Errorf("another replyguard process is using the data directory %s; stop it first or use --data (%w)", dir, err)
}

// seedTemplates adds the built-in templates on first run and upgrades the
// ones the seller has not edited, each linted under wazero.
func seedTemplates(ctx context.Context, st *store.Store, eng *policyhost.Engine) ([]string, error) {
	builtin, err := templates.Builtin()
	if err != nil {
		return nil, fmt.Errorf("built-in templates: %w", err)
	}
	seeds := make([]store.Seed, 0, len(builtin))
	for _, t := range builtin {
		findings, err := eng.Lint(ctx, t.Body, policy.Context{Kind: t.Kind})
		if err != nil {
			return nil, fmt.Errorf("lint built-in template %s: %w", t.ID, err)
		}
		seeds = append(seeds, store.Seed{ID: t.ID, Title: t.Title, Body: t.Body, Scenarios: t.Scenarios, Kind: t.Kind, Findings: store.FindingsFrom(findings)})
	}
	rep, err := st.SeedTemplates(seeds)
	if err != nil {
		return nil, fmt.Errorf("seed built-in templates: %w", err)
	}
	return append(append(rep.Added, rep.Upgraded...), rep.Kept...), nil
}

// lazyPolicy is the policy engine while it starts: calls wait for it (as
// long as their context allows) instead of failing.
type lazyPolicy struct {
	ready chan struct{}
	eng   *policyhost.Engine
	err   error
}

func (l *lazyPolicy) set(eng *policyhost.Engine, err error) {
	l.eng, l.err = eng, err
	close(l.ready)
}

func (l *lazyPolicy) wait(ctx context.Context) (*policyhost.Engine, error) {
	select {
	case <-l.ready:
		if l.err != nil {
			return nil, fmt.Errorf("%w: %v", server.ErrUnavailable, l.err)
		}
		return l.eng, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("%w: the policy engine is still starting", server.ErrUnavailable)
	}
}

func (l *lazyPolicy) Lint(ctx context.Context, text string, pc policy.Context) ([]policy.Finding, error) {
	eng, err := l.wait(ctx)
	if err != nil {
		return nil, err
	}
	return eng.Lint(ctx, text, pc)
}

func (l *lazyPolicy) Classify(ctx context.Context, text string) (policy.Classification, error) {
	eng, err := l.wait(ctx)
	if err != nil {
		return policy.Classification{}, err
	}
	return eng.Classify(ctx, text)
}

// Ready reports whether the engine runs and the templates are seeded.
func (l *lazyPolicy) Ready() bool {
	select {
	case <-l.ready:
		return l.eng != nil
	default:
		return false
	}
}

// Version is policy.wasm's version once it runs; before, the version of
// the policy package compiled into this binary, which policy.wasm is built
// from.
func (l *lazyPolicy) Version() string {
	select {
	case <-l.ready:
		if l.eng != nil {
			return l.eng.Version()
		}
	default:
	}
	return policy.Version
}

// renderTemplate renders a stored template. The store keeps the body but
// not the placeholder declarations, so they come from the built-in template
// of the same id; standard placeholders need none.
func renderTemplate(t store.Template, vars map[string]string, now time.Time) (server.Rendered, error) {
	tt := web.LibraryTemplate(t)
	r, err := tt.Render(vars, now)
	var ve *templates.ValuesError
	if err != nil && !errors.As(err, &ve) {
		return server.Rendered{}, err
	}
	out := server.Rendered{Text: r.Text}
	for _, u := range r.Unfilled {
		out.Unfilled = append(out.Unfilled, server.RenderedSlot{Name: u.Name, Label: u.Label, Start: u.Start, End: u.End})
	}
	if ve != nil {
		for _, p := range ve.Problems {
			out.Problems = append(out.Problems, p.Name+": "+p.Problem)
		}
	}
	return out, nil
}
