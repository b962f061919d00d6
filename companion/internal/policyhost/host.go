// Package policyhost runs policy.wasm under wazero: the same artifact the
// extension runs in V8, so what the companion records and what
// `replyguard lint` prints is exactly what the seller saw underlined.
//
// The module is compiled once per process (and cached on disk across
// processes); calls go to a small pool of instances because a wazero
// function is not safe for concurrent use.
package policyhost

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"
	"unsafe"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"

	"github.com/replyguard/replyguard/policy"
	"github.com/replyguard/replyguard/wasm/abi"
	"github.com/replyguard/replyguard/wasm/artifact"
)

// MaxText is the largest text the engine accepts. A seller's message is at
// most a few kilobytes; the bound keeps a stray multi-gigabyte file from
// exhausting memory.
const MaxText = 32 << 20

// memoryLimitPages caps each instance's linear memory (64 KiB pages): 1 GiB.
const memoryLimitPages = 16384

// Options configure an Engine. The zero value is ready to use.
type Options struct {
	// Wasm is the module to run; nil means the embedded policy.wasm.
	Wasm []byte
	// CacheDir holds wazero's compilation cache. Empty means
	// <user cache dir>/replyguard/wazero; "off" disables the disk cache.
	CacheDir string
	// Instances bounds how many instances run at once; 0 means
	// min(GOMAXPROCS, 4).
	Instances int
	// Stderr receives what the module writes to stderr (a Go runtime
	// fatal error, for instance). Nil means os.Stderr.
	Stderr io.Writer
	// Prewarm starts every instance at once (in the background) instead of
	// on demand, for servers that must not pay an instance start (policy's
	// initialisers) on the first concurrent request.
	Prewarm bool
	// Interruptible makes a call stop when its context is done, at a cost
	// of about a third more time per call (wazero then checks the context
	// in every loop). Without it the context is only checked before a call.
	Interruptible bool
}

// Engine is a compiled policy.wasm and its instance pool. It is safe for
// concurrent use.
type Engine struct {
	rt       wazero.Runtime
	cache    wazero.CompilationCache
	compiled wazero.CompiledModule
	modCfg   wazero.ModuleConfig

	idle    chan *instance // ready instances
	slot    chan struct{}  // one token per instance alive or starting
	failed  chan error     // instances that could not start
	mu      sync.Mutex     // guards the three below
	closed  bool
	active  int           // calls in flight and instances starting
	drained chan struct{} // closed when active drops to 0 after Close

	version string
	abi     int
}

// An ErrInput error is the engine rejecting its input (invalid UTF-8, a bad
// context): the caller's fault, not the engine's.
type ErrInput struct{ Msg string }

func (e *ErrInput) Error() string { return e.Msg }

// pruneCache removes the compiled modules of other artifacts: directories
// in base named like a cache key (16 hex digits) other than keep. Anything
// else in base is left alone.
func pruneCache(base, keep string) {
	entries, err := os.ReadDir(base)
	if err != nil {
		return
	}
	for _, d := range entries {
		name := d.Name()
		if !d.IsDir() || name == keep || len(name) != 16 {
			continue
		}
		if _, err := hex.DecodeString(name); err == nil {
			os.RemoveAll(filepath.Join(base, name)) // best effort: only disk space is at stake
		}
	}
}

// DefaultCacheDir is where the compilation cache lives unless configured.
func DefaultCacheDir() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("locate user cache dir: %w", err)
	}
	return filepath.Join(dir, "replyguard", "wazero"), nil
}

// New compiles the module (or loads it from the cache), starts one
// instance to check that it works, and returns the engine.
func New(ctx context.Context, opt Options) (*Engine, error) {
	bin := opt.Wasm
	if bin == nil {
		bin = artifact.Wasm
	}
	n := opt.Instances
	if n <= 0 {
		n = min(runtime.GOMAXPROCS(0), 4)
	}
	stderr := opt.Stderr
	if stderr == nil {
		stderr = os.Stderr
	}

	cfg := wazero.NewRuntimeConfig().
		WithMemoryLimitPages(memoryLimitPages).
		WithCloseOnContextDone(opt.Interruptible)
	e := &Engine{}
	var cacheBase, cacheKey string
	if opt.CacheDir != "off" {
		cacheBase = opt.CacheDir
		if cacheBase == "" {
			cacheBase, _ = DefaultCacheDir() // no cache dir: compile every time
		}
		if cacheBase != "" {
			// One subdirectory per artifact, so the entries of earlier
			// versions (about 9 MB each) can be pruned after an upgrade.
			sum := sha256.Sum256(bin)
			cacheKey = hex.EncodeToString(sum[:8])
			// A broken cache only costs compile time, never correctness.
			if c, err := wazero.NewCompilationCacheWithDir(filepath.Join(cacheBase, cacheKey)); err == nil {
				e.cache = c
				cfg = cfg.WithCompilationCache(c)
			} else {
				fmt.Fprintf(stderr, "replyguard: compilation cache disabled: %v\n", err)
				cacheKey = ""
			}
		}
	}
	e.rt = wazero.NewRuntimeWithConfig(ctx, cfg)
	if _, err := wasi_snapshot_preview1.Instantiate(ctx, e.rt); err != nil {
		e.Close(ctx)
		return nil, fmt.Errorf("policyhost: instantiate WASI: %w", err)
	}
	// Compile functions in parallel: a cold compile is the slowest thing the
	// companion does (seconds), and it happens once per artifact.
	compiled, err := e.rt.CompileModule(experimental.WithCompilationWorkers(ctx, runtime.GOMAXPROCS(0)), bin)
	if err != nil {
		e.Close(ctx)
		return nil, fmt.Errorf("policyhost: compile policy.wasm: %w", err)
	}
	e.compiled = compiled
	if cacheKey != "" {
		pruneCache(cacheBase, cacheKey)
	}
	e.modCfg = wazero.NewModuleConfig().
		WithName(""). // anonymous, so the pool can hold several
		WithStartFunctions("_initialize").
		WithSysWalltime(). // the defaults are a fake clock: "now" must be now
		WithSysNanotime().
		WithRandSource(rand.Reader).
		WithStderr(stderr)
	e.idle = make(chan *instance, n)
	e.slot = make(chan struct{}, n)
	e.failed = make(chan error, n)

	// The first instance starts here, so a broken module fails New.
	e.slot <- struct{}{}
	in, err := e.start(ctx)
	if err != nil {
		<-e.slot
		e.Close(ctx)
		return nil, err
	}
	defer e.put(in)
	ans, err := in.call(ctx, in.version)
	if err != nil {
		e.Close(ctx)
		return nil, fmt.Errorf("policyhost: version: %w", err)
	}
	var v struct {
		Version string `json:"version"`
		ABI     int    `json:"abi"`
	}
	if err := json.Unmarshal(ans, &v); err != nil {
		e.Close(ctx)
		return nil, fmt.Errorf("policyhost: version answer %q: %w", ans, err)
	}
	if v.ABI != abi.Version {
		e.Close(ctx)
		return nil, fmt.Errorf("policyhost: policy.wasm speaks ABI %d, this host speaks %d", v.ABI, abi.Version)
	}
	e.version, e.abi = v.Version, v.ABI
	if opt.Prewarm {
		for i := 1; i < n; i++ {
			e.slot <- struct{}{}
			e.acquire()
			go func() {
				defer e.release()
				e.startIdle()
			}()
		}
	}
	return e, nil
}

// Version is the policy engine's rule-set version (policy.Version).
func (e *Engine) Version() string { return e.version }

// Close waits for calls in flight (until ctx is done) and releases every
// instance and the runtime. Later calls fail.
func (e *Engine) Close(ctx context.Context) error {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil
	}
	e.closed = true
	var wait chan struct{}
	if e.active > 0 {
		e.drained = make(chan struct{})
		wait = e.drained
	}
	e.mu.Unlock()
	if wait != nil {
		select {
		case <-wait:
		case <-ctx.Done():
		}
	}
	var err error
	if e.rt != nil {
		err = e.rt.Close(context.Background()) // closes every module and compiled module
	}
	if e.cache != nil {
		err = errors.Join(err, e.cache.Close(context.Background()))
	}
	return err
}

var errClosed = errors.New("policyhost: engine is closed")

// acquire counts one more user of the runtime, unless the engine is closed.
func (e *Engine) acquire() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return false
	}
	e.active++
	return true
}

func (e *Engine) release() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.active--
	if e.active == 0 && e.drained != nil {
		close(e.drained)
		e.drained = nil
	}
}

// Lint checks text as policy.Lint does.
func (e *Engine) Lint(ctx context.Context, text string, pc policy.Context) ([]policy.Finding, error) {
	raw, err := e.LintJSON(ctx, text, abi.AppendContext(nil, &pc))
	if err != nil {
		return nil, err
	}
	var ans struct {
		Findings []policy.Finding `json:"findings"`
	}
	if err := json.Unmarshal(raw, &ans); err != nil {
		return nil, fmt.Errorf("policyhost: decode lint answer: %w", err)
	}
	return ans.Findings, nil
}

// LintJSON lints text with a JSON-encoded context (nil for none) and
// returns the module's answer, {"findings":[...]}, as its own copy.
func (e *Engine) LintJSON(ctx context.Context, text string, contextJSON []byte) ([]byte, error) {
	if len(text) > MaxText {
		return nil, &ErrInput{Msg: fmt.Sprintf("text is %d bytes; the limit is %d", len(text), MaxText)}
	}
	in, err := e.get(ctx)
	if err != nil {
		return nil, err
	}
	ans, err := in.lintCall(ctx, text, contextJSON)
	e.done(in, err)
	if err != nil {
		return nil, fmt.Errorf("policyhost: lint: %w", err)
	}
	return answerOrError(ans)
}

// Classify returns the scenario of a buyer message as policy.Classify does.
func (e *Engine) Classify(ctx context.Context, text string) (policy.Classification, error) {
	var c policy.Classification
	ans, err := e.ClassifyJSON(ctx, text)
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal(ans, &c); err != nil {
		return c, fmt.Errorf("policyhost: decode classify answer: %w", err)
	}
	return c, nil
}

// ClassifyJSON returns the module's classification answer as its own copy.
func (e *Engine) ClassifyJSON(ctx context.Context, text string) ([]byte, error) {
	if len(text) > MaxText {
		return nil, &ErrInput{Msg: fmt.Sprintf("text is %d bytes; the limit is %d", len(text), MaxText)}
	}
	in, err := e.get(ctx)
	if err != nil {
		return nil, err
	}
	ans, err := in.classifyCall(ctx, text)
	e.done(in, err)
	if err != nil {
		return nil, fmt.Errorf("policyhost: classify: %w", err)
	}
	return answerOrError(ans)
}

// Rules returns the rule catalog.
func (e *Engine) Rules(ctx context.Context) ([]policy.Rule, error) {
	in, err := e.get(ctx)
	if err != nil {
		return nil, err
	}
	ans, err := in.call(ctx, in.rules)
	e.done(in, err)
	if err != nil {
		return nil, fmt.Errorf("policyhost: rules: %w", err)
	}
	if ans, err = answerOrError(ans); err != nil {
		return nil, err
	}
	var cat struct {
		Rules []policy.Rule `json:"rules"`
	}
	if err := json.Unmarshal(ans, &cat); err != nil {
		return nil, fmt.Errorf("policyhost: decode rules answer: %w", err)
	}
	return cat.Rules, nil
}

// answerOrError turns {"error":"..."} into an *ErrInput.
func answerOrError(ans []byte) ([]byte, error) {
	if bytes.HasPrefix(ans, []byte(`{"error":`)) {
		var e struct {
			Error string `json:"error"`
		}
		if err := json.Unmarshal(ans, &e); err != nil {
			return nil, fmt.Errorf("policyhost: decode error answer: %w", err)
		}
		return nil, &ErrInput{Msg: e.Error}
	}
	return ans, nil
}

// get takes an idle instance. When none is idle and the pool has room, it
// starts one in the background but keeps waiting for whichever instance is
// free first: starting an instance runs policy's initialisers, which costs
// far more than waiting for a busy instance to finish a lint.
func (e *Engine) get(ctx context.Context) (*instance, error) {
	if !e.acquire() {
		return nil, errClosed
	}
	in, err := e.wait(ctx)
	if err != nil {
		e.release()
		return nil, err
	}
	return in, nil
}

func (e *Engine) wait(ctx context.Context) (*instance, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		select {
		case in := <-e.idle:
			return in, nil
		default:
		}
		select {
		case e.slot <- struct{}{}:
			if e.acquire() {
				go func() {
					defer e.release()
					e.startIdle()
				}()
			} else {
				<-e.slot
				return nil, errClosed
			}
		default:
		}
		// The timer only matters after an instance failed to start or was
		// dropped: then the next round may start a replacement.
		t := time.NewTimer(100 * time.Millisecond)
		select {
		case in := <-e.idle:
			t.Stop()
			return in, nil
		case err := <-e.failed:
			t.Stop()
			return nil, err
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}

// startIdle starts an instance for a slot already taken and puts it in the
// pool, or gives the slot back and reports why it failed.
func (e *Engine) startIdle() {
	in, err := e.start(context.Background())
	if err != nil {
		<-e.slot
		select {
		case e.failed <- err:
		default:
		}
		return
	}
	e.put(in)
}

// done returns an instance to the pool, or drops it when its call failed:
// after a trap or a cancelled context its state cannot be trusted.
func (e *Engine) done(in *instance, err error) {
	defer e.release()
	if err != nil {
		in.mod.Close(context.Background())
		<-e.slot
		return
	}
	e.put(in)
}

func (e *Engine) put(in *instance) {
	e.idle <- in // cannot block: at most cap(slot) instances exist
}

func (e *Engine) start(ctx context.Context) (*instance, error) {
	mod, err := e.rt.InstantiateModule(ctx, e.compiled, e.modCfg)
	if err != nil {
		return nil, fmt.Errorf("policyhost: start instance: %w", err)
	}
	in := &instance{mod: mod, mem: mod.Memory()}
	for name, fn := range map[string]*api.Function{
		"alloc": &in.alloc, "free": &in.free, "lint": &in.lint,
		"classify": &in.classify, "rules": &in.rules, "version": &in.version,
	} {
		if *fn = mod.ExportedFunction(name); *fn == nil {
			mod.Close(ctx)
			return nil, fmt.Errorf("policyhost: policy.wasm does not export %q", name)
		}
	}
	if in.mem == nil {
		mod.Close(ctx)
		return nil, errors.New("policyhost: policy.wasm exports no memory")
	}
	return in, nil
}

// instance is one module instance plus its reusable input buffers.
type instance struct {
	mod                                         api.Module
	mem                                         api.Memory
	alloc, free, lint, classify, rules, version api.Function

	text, ctx buffer
	stack     [4]uint64
}

type buffer struct{ ptr, cap uint32 }

// write copies b into the instance, growing the buffer when needed, and
// returns its address.
func (in *instance) write(ctx context.Context, buf *buffer, b []byte) (uint32, error) {
	if len(b) == 0 {
		return 0, nil
	}
	if uint32(len(b)) > buf.cap {
		if buf.ptr != 0 {
			in.stack[0] = uint64(buf.ptr)
			if err := in.free.CallWithStack(ctx, in.stack[:]); err != nil {
				return 0, err
			}
			*buf = buffer{}
		}
		size := max(uint32(len(b)), 4096)
		size += size / 4 // headroom for a growing draft
		in.stack[0] = uint64(size)
		if err := in.alloc.CallWithStack(ctx, in.stack[:]); err != nil {
			return 0, err
		}
		*buf = buffer{ptr: uint32(in.stack[0]), cap: size}
		if buf.ptr == 0 {
			return 0, errors.New("alloc returned 0")
		}
	}
	if !in.mem.Write(buf.ptr, b) {
		return 0, errors.New("input buffer outside linear memory")
	}
	return buf.ptr, nil
}

func (in *instance) lintCall(ctx context.Context, text string, contextJSON []byte) ([]byte, error) {
	tp, err := in.write(ctx, &in.text, bytesOf(text))
	if err != nil {
		return nil, err
	}
	cp, err := in.write(ctx, &in.ctx, contextJSON)
	if err != nil {
		return nil, err
	}
	in.stack = [4]uint64{uint64(tp), uint64(len(text)), uint64(cp), uint64(len(contextJSON))}
	if err := in.lint.CallWithStack(ctx, in.stack[:]); err != nil {
		return nil, err
	}
	return in.read(in.stack[0])
}

func (in *instance) classifyCall(ctx context.Context, text string) ([]byte, error) {
	tp, err := in.write(ctx, &in.text, bytesOf(text))
	if err != nil {
		return nil, err
	}
	in.stack[0], in.stack[1] = uint64(tp), uint64(len(text))
	if err := in.classify.CallWithStack(ctx, in.stack[:]); err != nil {
		return nil, err
	}
	return in.read(in.stack[0])
}

// call runs a no-argument export that returns an answer.
func (in *instance) call(ctx context.Context, fn api.Function) ([]byte, error) {
	if err := fn.CallWithStack(ctx, in.stack[:]); err != nil {
		return nil, err
	}
	return in.read(in.stack[0])
}

// read copies the packed (ptr<<32 | len) answer out of linear memory; the
// module reuses that memory on the next call.
func (in *instance) read(packed uint64) ([]byte, error) {
	ptr, n := uint32(packed>>32), uint32(packed)
	b, ok := in.mem.Read(ptr, n)
	if !ok {
		return nil, fmt.Errorf("answer [%d, +%d) outside linear memory", ptr, n)
	}
	return bytes.Clone(b), nil
}

// bytesOf views a string's bytes without copying; wazero only reads them.
func bytesOf(s string) []byte {
	return unsafe.Slice(unsafe.StringData(s), len(s))
}
