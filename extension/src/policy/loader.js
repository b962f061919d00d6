// The policy.wasm loader: the one piece of JavaScript between V8 and the
// policy engine. The extension's offscreen document uses it, and the Go
// conformance test and the V8 benchmark run this same file under Node, so what
// they measure is what the seller gets. Plain ES2022 (no TypeScript syntax) so
// Node runs it without a build step; types are in loader.d.ts.
//
// The ABI (wasm/README.md): alloc/free for input buffers, lint/classify/
// rules/version returning ptr<<32|len of a JSON answer that stays valid until
// the next call, and _initialize to run first. The module imports a handful of
// wasi_snapshot_preview1 functions; only the clock and random are used in
// practice, so a small shim is enough and nothing touches the network or disk.

const ENOSYS = 52;
const EBADF = 8;

/** Thrown when the engine rejects an input (invalid context, ...). */
export class PolicyError extends Error {
  constructor(message) {
    super(message);
    this.name = 'PolicyError';
  }
}

/** The module called proc_exit (a Go runtime fatal error). */
class WasiExit extends Error {
  constructor(code) {
    super(`policy.wasm exited with code ${code}`);
    this.name = 'WasiExit';
    this.code = code;
  }
}

/**
 * Compile (if needed) and instantiate policy.wasm.
 * @param {BufferSource | WebAssembly.Module | Response | Promise<Response>} source
 * @param {{ log?: (line: string) => void }} [options]
 */
export async function loadPolicy(source, options = {}) {
  let mod;
  if (source instanceof WebAssembly.Module) {
    mod = source;
  } else if (typeof Response !== 'undefined' && (source instanceof Response || source instanceof Promise)) {
    const res = await source;
    if (!res.ok) throw new Error(`policy.wasm: HTTP ${res.status}`);
    // Streaming compiles while the bytes arrive; it needs the
    // application/wasm type, which a server may not send.
    const fallback = res.clone();
    try {
      mod = await WebAssembly.compileStreaming(res);
    } catch (e) {
      if (!(e instanceof TypeError)) throw e;
      mod = await WebAssembly.compile(await fallback.arrayBuffer());
    }
  } else {
    mod = await WebAssembly.compile(source);
  }
  const engine = new PolicyEngine(mod, options.log ?? ((line) => console.warn(`policy.wasm: ${line}`)));
  await engine.start();
  return engine;
}

export class PolicyEngine {
  #module;
  #log;
  #inst = null;
  #exports = null;
  #u8 = new Uint8Array(0);
  #enc = new TextEncoder();
  #dec = new TextDecoder('utf-8', { fatal: false });
  #text = { ptr: 0, cap: 0 };
  #ctx = { ptr: 0, cap: 0 };
  #lastCtx = '';
  #lastCtxLen = 0;
  #restarting = null;
  /** policy.Version of the loaded engine. */
  version = '';
  /** ABI version the module speaks. */
  abi = 0;

  constructor(module, log) {
    this.#module = module;
    this.#log = log;
  }

  /** Instantiate (again, after a crash) and run _initialize. */
  async start() {
    const inst = await WebAssembly.instantiate(this.#module, { wasi_snapshot_preview1: this.#wasi() });
    this.#inst = inst;
    this.#exports = inst.exports;
    this.#text = { ptr: 0, cap: 0 };
    this.#ctx = { ptr: 0, cap: 0 };
    this.#lastCtx = '';
    this.#lastCtxLen = 0;
    this.#exports._initialize();
    const v = JSON.parse(this.#answer(this.#call(() => this.#exports.version())));
    this.version = v.version;
    this.abi = v.abi;
    if (v.abi !== 1) throw new Error(`policy.wasm speaks ABI ${v.abi}; this loader speaks 1`);
  }

  /**
   * Lint a seller's text; returns the raw JSON answer {"findings":[...]}.
   * @param {string} text
   * @param {object} [ctx] policy.Context fields
   */
  lintJSON(text, ctx) {
    const ex = this.#live();
    const tp = this.#write(this.#text, text);
    const tlen = this.#written;
    let cp = 0, clen = 0;
    const cs = ctx && Object.keys(ctx).length ? JSON.stringify(ctx) : '';
    if (cs !== '') {
      if (cs === this.#lastCtx && this.#ctx.ptr !== 0) {
        // Same context as the last keystroke: the bytes are still there.
        cp = this.#ctx.ptr;
        clen = this.#lastCtxLen;
      } else {
        cp = this.#write(this.#ctx, cs);
        clen = this.#written;
        this.#lastCtx = cs;
        this.#lastCtxLen = clen;
      }
    }
    return this.#answer(this.#call(() => ex.lint(tp, tlen, cp, clen)));
  }

  /** Lint and return the findings (UTF-16 offsets: index the JS string directly). */
  lint(text, ctx) {
    return JSON.parse(this.lintJSON(text, ctx)).findings;
  }

  /** Raw JSON classification of a buyer message. */
  classifyJSON(text) {
    const ex = this.#live();
    const tp = this.#write(this.#text, text);
    const tlen = this.#written;
    return this.#answer(this.#call(() => ex.classify(tp, tlen)));
  }

  classify(text) {
    return JSON.parse(this.classifyJSON(text));
  }

  /** Raw JSON of the rule catalog. */
  rulesJSON() {
    const ex = this.#live();
    return this.#answer(this.#call(() => ex.rules()));
  }

  /** The rule catalog: {version, rules: [...]}. */
  rules() {
    return JSON.parse(this.rulesJSON());
  }

  #live() {
    if (this.#exports === null) {
      throw new PolicyError(this.#restarting ? 'policy engine is restarting after a crash' : 'policy engine is not started');
    }
    return this.#exports;
  }

  #written = 0;

  // Encode text straight into the module's buffer (reused across calls; a
  // UTF-16 unit is at most 3 UTF-8 bytes). Returns the address, 0 for empty.
  #write(buf, s) {
    if (typeof s !== 'string') throw new PolicyError(`text must be a string, not ${typeof s}`);
    if (s.length === 0) {
      this.#written = 0;
      return 0;
    }
    const need = s.length * 3;
    if (need > buf.cap) {
      if (buf.ptr !== 0) this.#call(() => this.#exports.free(buf.ptr));
      const cap = Math.max(need + (need >> 2), 4096);
      buf.ptr = this.#call(() => this.#exports.alloc(cap)) >>> 0;
      buf.cap = buf.ptr === 0 ? 0 : cap;
      if (buf.ptr === 0) throw new PolicyError('policy.wasm could not allocate an input buffer');
      if (buf === this.#ctx) this.#lastCtx = '';
    }
    const { written } = this.#enc.encodeInto(s, this.#mem().subarray(buf.ptr, buf.ptr + buf.cap));
    this.#written = written;
    return buf.ptr;
  }

  #mem() {
    const b = this.#exports.memory.buffer;
    if (this.#u8.buffer !== b) this.#u8 = new Uint8Array(b); // memory grew
    return this.#u8;
  }

  // Run an export; a trap or proc_exit kills this instance, so start a fresh
  // one in the background and report the failure.
  #call(f) {
    try {
      return f();
    } catch (e) {
      if (e instanceof PolicyError) throw e;
      this.#exports = null;
      this.#inst = null;
      this.#restarting = this.start()
        .catch((err) => this.#log(`restart failed: ${err}`))
        .finally(() => { this.#restarting = null; });
      throw new PolicyError(`policy engine crashed: ${e && e.message ? e.message : e}`);
    }
  }

  // Copy the answer out of linear memory (it is overwritten by the next call).
  #answer(packed) {
    const p = BigInt.asUintN(64, packed);
    const ptr = Number(p >> 32n);
    const len = Number(p & 0xffffffffn);
    const s = this.#dec.decode(this.#mem().subarray(ptr, ptr + len));
    if (s.startsWith('{"error":')) throw new PolicyError(JSON.parse(s).error);
    return s;
  }

  // wasi_snapshot_preview1, as much as a Go reactor needs. Anything else the
  // module might import answers ENOSYS instead of failing instantiation.
  #wasi() {
    const view = () => new DataView(this.#exports.memory.buffer);
    const lines = { 1: '', 2: '' };
    const fns = {
      args_sizes_get: (argc, bufSize) => { const v = view(); v.setUint32(argc, 0, true); v.setUint32(bufSize, 0, true); return 0; },
      args_get: () => 0,
      environ_sizes_get: (n, bufSize) => { const v = view(); v.setUint32(n, 0, true); v.setUint32(bufSize, 0, true); return 0; },
      environ_get: () => 0,
      clock_res_get: (id, out) => { view().setBigUint64(out, 1000n, true); return 0; },
      clock_time_get: (id, _precision, out) => {
        // 0 realtime, 1 monotonic. performance.timeOrigin + now() gives
        // sub-millisecond wall time too.
        const ms = id === 0 ? performance.timeOrigin + performance.now() : performance.now();
        view().setBigUint64(out, BigInt(Math.round(ms * 1e6)), true);
        return 0;
      },
      random_get: (ptr, len) => {
        const mem = this.#mem();
        for (let off = 0; off < len; off += 65536) {
          crypto.getRandomValues(mem.subarray(ptr + off, ptr + Math.min(len, off + 65536)));
        }
        return 0;
      },
      fd_write: (fd, iovs, iovsLen, nwritten) => {
        if (fd !== 1 && fd !== 2) return EBADF;
        const v = view();
        const mem = this.#mem();
        let total = 0;
        for (let i = 0; i < iovsLen; i++) {
          const p = v.getUint32(iovs + i * 8, true);
          const n = v.getUint32(iovs + i * 8 + 4, true);
          lines[fd] += this.#dec.decode(mem.subarray(p, p + n));
          total += n;
        }
        let nl;
        while ((nl = lines[fd].indexOf('\n')) >= 0) {
          this.#log(lines[fd].slice(0, nl));
          lines[fd] = lines[fd].slice(nl + 1);
        }
        v.setUint32(nwritten, total, true);
        return 0;
      },
      // Go sleeps with poll_oneoff; a reactor never needs to really wait, so
      // every subscription fires at once.
      poll_oneoff: (inPtr, outPtr, nsubs, nevents) => {
        const v = view();
        for (let i = 0; i < nsubs; i++) {
          const s = inPtr + i * 48, o = outPtr + i * 32;
          v.setBigUint64(o, v.getBigUint64(s, true), true); // userdata
          v.setUint16(o + 8, 0, true); // errno
          v.setUint8(o + 10, v.getUint8(s + 8)); // event type = subscription tag
        }
        v.setUint32(nevents, nsubs, true);
        return 0;
      },
      // No preopened directories: Go's syscall init walks fds from 3 until
      // EBADF. The standard streams look like character devices.
      fd_prestat_get: () => EBADF,
      fd_prestat_dir_name: () => EBADF,
      fd_fdstat_get: (fd, out) => {
        if (fd > 2) return EBADF;
        const v = view();
        v.setUint8(out, 2); // character device
        v.setUint16(out + 2, 0, true);
        v.setBigUint64(out + 8, 0xffffffffffffffffn, true);
        v.setBigUint64(out + 16, 0xffffffffffffffffn, true);
        return 0;
      },
      fd_fdstat_set_flags: (fd) => (fd > 2 ? EBADF : 0),
      sched_yield: () => 0,
      proc_exit: (code) => { throw new WasiExit(code); },
    };
    return new Proxy(fns, {
      get: (target, name) => (name in target ? target[name] : () => ENOSYS),
    });
  }
}
