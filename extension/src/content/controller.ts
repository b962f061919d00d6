// One controller per reply box: lints as the seller types, keeps underlines on
// the text, shows the status chip and the cards, applies fixes.
//
// Latest text only: at most one lint is in flight per box; while it runs, new
// keystrokes just mark the box dirty and the next lint takes the text as it is
// then. Results for an older text are carried to the current text through
// the span remapper (spans the edit touched are dropped). Nothing is linted
// in the middle of an IME composition.

import type { Finding, LintContext, RuleInfo } from '../shared/types';
import type { PolicyClient } from '../shared/policy-client';
import type { Editor } from './editor';
import { deepActive } from './editor';
import { HighlightOverlay, TextareaOverlay, type Overlay } from './overlay';
import { nextMarker } from './placeholders';
import { remapAll } from './spans';
import { announce, getUi, h } from './ui';

export interface Env {
  policy: PolicyClient;
  ctx(): LintContext;
  disabled(): ReadonlySet<string>;
  rules(): ReadonlyMap<string, RuleInfo>;
  openPicker(c: Controller): void;
}

const SEV_ORDER = { error: 0, warning: 1, info: 2 } as const;

export class Controller {
  readonly overlay: Overlay;
  /** Findings for `shownText`, after filtering and remapping: what is drawn. */
  findings: Finding[] = [];
  private raw: Finding[] = [];
  private rawText = '';
  private shownText = '';
  private inflight = false;
  private dirty = false;
  private composing = false;
  private ignored = new Set<string>();
  private chip: HTMLElement;
  private statusBtn: HTMLButtonElement;
  private chipLabel: HTMLElement;
  private card: HTMLElement | null = null;
  private cardIndex = -1;
  private list: HTMLElement | null = null;
  private keyAt = 0;
  /** The first frame after the last keystroke (0 until it starts): the earliest its underline could be painted. */
  private keyFrame = { ts: 0 };
  private raf = 0;
  private disposed = false;
  private failed = false;
  /** Id of the template the seller inserted last (recorded with the reply). */
  templateId: string | undefined;
  /** Set while placeholder navigation (Tab to the next {hole}) is active. */
  holesActive = false;
  /** The markers ("[Carrier]") the last template insert left for the seller to fill. */
  markers: string[] = [];
  readonly latencies: number[] = [];
  seq = 0;

  constructor(readonly editor: Editor, private env: Env) {
    const ui = getUi();
    this.overlay = editor.kind === 'textarea' ? new TextareaOverlay(editor, ui.layer) : new HighlightOverlay(editor);
    this.chipLabel = h('span', { class: 'label' }, 'ReplyGuard');
    const tplBtn = h('button', { class: 'tpl', type: 'button', title: 'Insert a template (Alt+Shift+T)', 'aria-label': 'Insert a template' }, 'Templates');
    tplBtn.addEventListener('click', (e) => { e.stopPropagation(); this.env.openPicker(this); });
    // Two real buttons side by side (no nested interactive controls): status (lists findings) and templates.
    this.statusBtn = h('button', { class: 'status', type: 'button', 'aria-haspopup': 'menu', 'aria-expanded': 'false' },
      h('span', { class: 'dot', 'aria-hidden': 'true' }), this.chipLabel);
    this.statusBtn.addEventListener('click', () => this.toggleList());
    this.chip = h('div', { class: 'chip', role: 'group', 'aria-label': 'ReplyGuard', 'data-state': 'clean' }, this.statusBtn, tplBtn);
    ui.layer.append(this.chip);

    const el = editor.el;
    el.addEventListener('input', this.onInput);
    el.addEventListener('compositionstart', this.onCompStart);
    el.addEventListener('compositionend', this.onCompEnd);
    el.addEventListener('keydown', this.onKey, true);
    el.addEventListener('keyup', this.onCaret);
    el.addEventListener('mouseup', this.onCaret);
    el.addEventListener('mousemove', this.onMove);
    el.addEventListener('scroll', this.onLayout);
    if (editor.host !== el) editor.host.addEventListener('mousemove', this.onMove);
    this.loop();
    this.request();
  }

  dispose(): void {
    this.disposed = true;
    cancelAnimationFrame(this.raf);
    const el = this.editor.el;
    el.removeEventListener('input', this.onInput);
    el.removeEventListener('compositionstart', this.onCompStart);
    el.removeEventListener('compositionend', this.onCompEnd);
    el.removeEventListener('keydown', this.onKey, true);
    el.removeEventListener('keyup', this.onCaret);
    el.removeEventListener('mouseup', this.onCaret);
    el.removeEventListener('mousemove', this.onMove);
    el.removeEventListener('scroll', this.onLayout);
    this.editor.host.removeEventListener('mousemove', this.onMove);
    this.overlay.destroy();
    this.chip.remove();
    this.closeCard();
    this.list?.remove();
  }

  get errors(): number { return this.findings.filter((f) => f.severity === 'error').length; }

  // ---- linting -------------------------------------------------------------

  private onInput = (e: Event): void => {
    this.keyAt = e.timeStamp || performance.now();
    // The keystroke's own frame, for the latency bench: a lint taking no
    // time at all would be painted there.
    const own = this.keyFrame = { ts: 0 };
    requestAnimationFrame((ts) => { own.ts = ts; });
    if (this.composing || (e as InputEvent).isComposing) return;
    // Send the lint first (it runs in another process), then carry what is
    // drawn through the edit while it runs.
    const t = performance.now();
    this.request();
    this.show(this.editor.getText());
    // Main-thread time this keystroke cost the page (read by the latency bench).
    getUi().host.dataset['handler'] = (performance.now() - t).toFixed(3);
  };
  private onCompStart = (): void => { this.composing = true; };
  private onCompEnd = (): void => { this.composing = false; this.keyAt = performance.now(); this.request(); };

  /** refresh re-lints now (settings changed, box attached). */
  refresh(): void { this.request(); }

  private request(): void {
    if (this.inflight) { this.dirty = true; return; }
    this.inflight = true;
    this.dirty = false;
    const text = this.editor.getText();
    const sent = performance.now();
    this.env.policy.lint(text, this.env.ctx()).then(
      ({ findings, ms }) => {
        this.raw = findings; this.rawText = text; this.failed = false; this.statusBtn.title = '';
        // Where the time goes (read by the latency bench): round trip to the policy host and time inside policy.wasm.
        const ds = getUi().host.dataset;
        ds['rtt'] = (performance.now() - sent).toFixed(3);
        ds['wasm'] = ms.toFixed(3);
      },
      (err: Error) => {
        console.warn('ReplyGuard: lint failed:', err.message);
        // Say so instead of showing "clean" for a text nobody checked.
        this.chip.dataset['state'] = 'unavailable';
        this.chipLabel.textContent = 'checks unavailable';
        this.statusBtn.setAttribute('aria-label', `ReplyGuard: checks unavailable (${err.message})`);
        this.statusBtn.title = err.message;
        this.failed = true;
      },
    ).finally(() => {
      this.inflight = false;
      if (this.disposed) return;
      if (this.dirty || this.composing) { if (!this.composing) this.request(); this.show(this.editor.getText()); return; }
      this.show(this.editor.getText(), true);
    });
  }

  private key(f: Finding, text: string): string { return `${f.rule}\u0000${text.slice(f.start, f.end)}`; }

  /** show draws the latest results carried to `text`. */
  private show(text: string, fresh = false): void {
    const disabled = this.env.disabled();
    const carried = text === this.rawText ? this.raw : remapAll(this.raw, this.rawText, text);
    this.findings = carried
      .filter((f) => !disabled.has(f.rule) && !this.ignored.has(this.key(f, text)) && f.end <= text.length)
      .sort((a, b) => a.start - b.start || a.end - b.end || SEV_ORDER[a.severity] - SEV_ORDER[b.severity]);
    this.shownText = text;
    this.overlay.render(text, this.findings);
    this.updateChip();
    if (this.card && this.cardIndex >= this.findings.length) this.closeCard();
    if (fresh && this.keyAt) {
      const t0 = this.keyAt;
      this.keyAt = 0;
      getUi().host.dataset['rendered'] = (performance.now() - t0).toFixed(3);
      // The frame after this DOM update is the one that paints the underline.
      const own = this.keyFrame;
      requestAnimationFrame((ts) => {
        const ms = performance.now() - t0;
        this.latencies.push(ms);
        if (this.latencies.length > 5000) this.latencies.shift();
        this.seq++;
        const host = getUi().host;
        host.dataset['latency'] = ms.toFixed(3);
        // How long after the keystroke's own frame this one came (0: the
        // underline was painted with the character), and how long after
        // the key that first frame was.
        // (The own frame's callback was asked for first, so it has run.)
        host.dataset['lateBy'] = own.ts ? Math.max(0, ts - own.ts).toFixed(3) : '';
        host.dataset['ownFrame'] = own.ts ? (own.ts - t0).toFixed(3) : '';
        host.dataset['seq'] = String(this.seq);
      });
    }
    getUi().host.dataset['lints'] = String(Number(getUi().host.dataset['lints'] ?? 0) + (fresh ? 1 : 0));
  }

  // ---- chip and finding list ---------------------------------------------

  private updateChip(): void {
    if (this.failed) return;
    const e = this.errors, w = this.findings.filter((f) => f.severity === 'warning').length;
    const i = this.findings.length - e - w;
    const state = e ? 'error' : w ? 'warning' : 'clean';
    const label = e ? `${e} error${e > 1 ? 's' : ''}${w ? `, ${w} warning${w > 1 ? 's' : ''}` : ''}`
      : w ? `${w} warning${w > 1 ? 's' : ''}` : i ? `clean (${i} tip${i > 1 ? 's' : ''})` : 'clean';
    if (this.chip.dataset['state'] !== state || this.chipLabel.textContent !== label) {
      const was = this.chipLabel.textContent;
      this.chip.dataset['state'] = state;
      this.chipLabel.textContent = label;
      this.statusBtn.setAttribute('aria-label', `ReplyGuard: ${label}. Press Enter to list findings.`);
      if (was !== 'ReplyGuard') announce(`ReplyGuard: ${label}`);
    }
    if (this.list) this.fillList();
  }

  private toggleList(): void {
    if (this.list) { this.list.remove(); this.list = null; this.statusBtn.setAttribute('aria-expanded', 'false'); return; }
    this.statusBtn.setAttribute('aria-expanded', 'true');
    this.list = h('div', { class: 'list', role: 'menu', 'aria-label': 'ReplyGuard findings' });
    getUi().layer.append(this.list);
    this.fillList();
    this.place();
    (this.list.querySelector('button') as HTMLElement | null)?.focus();
  }

  private fillList(): void {
    const list = this.list!;
    list.replaceChildren();
    if (!this.findings.length) list.append(h('div', {}, 'No problems found.'));
    this.findings.forEach((f, i) => {
      const b = h('button', { type: 'button', role: 'menuitem' }, `${f.severity}: ${this.title(f)} – “${this.shownText.slice(f.start, f.end)}”`);
      b.addEventListener('click', () => { this.list?.remove(); this.list = null; this.editor.select(f.start, f.end); this.openCard(i, true); });
      list.append(b);
    });
  }

  // ---- cards ---------------------------------------------------------------

  private title(f: Finding): string { return this.env.rules().get(f.rule)?.title ?? f.rule; }

  private at(offset: number): number {
    return this.findings.findIndex((f) => f.start <= offset && offset <= f.end && f.end > f.start);
  }

  private onCaret = (): void => {
    const sel = this.editor.getSelection();
    if (!sel) return;
    const i = this.at(sel.start);
    if (i >= 0 && i !== this.cardIndex) this.openCard(i, false);
    else if (i < 0 && this.card && !this.card.matches(':hover') && !this.card.contains(getUi().root.activeElement)) this.closeCard();
  };

  private onMove = (e: MouseEvent): void => {
    const x = e.clientX, y = e.clientY;
    for (let i = 0; i < this.findings.length; i++) {
      for (const r of this.overlay.rects(i)) {
        if (x >= r.left && x <= r.right && y >= r.top - 2 && y <= r.bottom + 2) {
          if (i !== this.cardIndex) this.openCard(i, false);
          return;
        }
      }
    }
    // Off every underline: a hover card goes away (unless the pointer or focus moved into it).
    const card = this.card;
    if (card) setTimeout(() => { if (this.card === card && !card.matches(':hover') && !card.contains(getUi().root.activeElement)) this.maybeClose(); }, 300);
  };

  openCard(i: number, focus: boolean): void {
    const f = this.findings[i];
    if (!f) return;
    this.closeCard();
    const rule = this.env.rules().get(f.rule);
    const text = this.shownText;
    const id = `rg-card-${Math.random().toString(36).slice(2)}`;
    const card = h('div', { class: 'card', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': `${id}-t`, 'aria-describedby': `${id}-d`, 'data-severity': f.severity, 'data-rule': f.rule },
      h('div', { class: 'sev' }, f.severity),
      h('h2', { id: `${id}-t` }, this.title(f), ' ', h('span', { class: 'rule' }, f.rule)),
      h('p', { id: `${id}-d`, class: 'what' }, f.message),
    );
    if (rule?.rationale) card.append(h('p', { class: 'why' }, rule.rationale));
    if (rule?.policy_url && /^https:\/\//.test(rule.policy_url)) {
      card.append(h('p', { class: 'why' }, h('a', { href: rule.policy_url, target: '_blank', rel: 'noopener noreferrer' }, "Amazon's policy")));
    }
    const actions = h('div', { class: 'actions' });
    if (f.fix) {
      const repl = f.fix.replacement;
      const label = repl ? `Replace with “${repl.length > 40 ? repl.slice(0, 40) + '…' : repl}”` : `Remove “${text.slice(f.start, f.end)}”`;
      const fix = h('button', { type: 'button', class: 'fix' }, label);
      fix.addEventListener('click', () => this.applyFix(f));
      actions.append(fix);
    }
    const ign = h('button', { type: 'button', class: 'ignore' }, 'Ignore here');
    ign.addEventListener('click', () => { this.ignored.add(this.key(f, text)); this.closeCard(); this.show(this.editor.getText()); this.editor.el.focus(); });
    actions.append(ign);
    const close = h('button', { type: 'button', class: 'close', 'aria-label': 'Close' }, '×');
    close.addEventListener('click', () => { this.closeCard(); this.editor.el.focus(); });
    card.append(actions, close);
    card.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') { e.preventDefault(); this.closeCard(); this.editor.el.focus(); }
    });
    card.addEventListener('mouseleave', () => { if (!card.contains(getUi().root.activeElement)) setTimeout(() => { if (this.card === card && !card.matches(':hover')) this.maybeClose(); }, 400); });
    getUi().layer.append(card);
    this.card = card;
    this.cardIndex = i;
    this.place();
    announce(`${f.severity}: ${this.title(f)}. ${f.message}${f.fix ? ' A fix is available: press Alt+Enter.' : ''}`);
    if (focus) (card.querySelector('button') as HTMLElement | null)?.focus();
  }

  private maybeClose(): void {
    const sel = this.editor.getSelection();
    if (sel && this.at(sel.start) === this.cardIndex) return;
    this.closeCard();
  }

  closeCard(): void { this.card?.remove(); this.card = null; this.cardIndex = -1; }

  private applyFix(f: Finding): void {
    const text = this.editor.getText();
    // Only apply when the span still holds what was flagged.
    if (text !== this.shownText) return;
    this.closeCard();
    this.editor.replace(f.start, f.end, f.fix!.replacement);
  }

  private onKey = (e: KeyboardEvent): void => {
    if (e.altKey && e.key === 'Enter') {
      const sel = this.editor.getSelection();
      const i = sel ? this.at(sel.start) : -1;
      if (i >= 0) { e.preventDefault(); this.openCard(i, true); }
      return;
    }
    if (e.key === 'Escape' && this.card) { this.closeCard(); return; }
    if (e.key === 'Tab' && !e.shiftKey && this.holesActive && !e.isComposing) {
      if (this.selectNextHole()) e.preventDefault();
      else this.holesActive = false;
    }
  };

  /** selectNextHole selects the next marker the last template left ("[Carrier]"); false when none is left. */
  selectNextHole(fromStart = false): boolean {
    const text = this.editor.getText();
    const sel = this.editor.getSelection();
    const selected = sel ? text.slice(sel.start, sel.end) : '';
    const from = fromStart || !sel ? 0 : this.markers.includes(selected) ? sel.end : sel.start;
    const m = nextMarker(text, this.markers, from);
    if (!m) return false;
    this.editor.select(m.start, m.end);
    announce(`Fill in ${m.marker.slice(1, -1)}`);
    return true;
  }

  // ---- layout ----------------------------------------------------------------

  private onLayout = (): void => { this.overlay.sync(); this.place(); };

  /** A cheap per-frame check keeps overlays aligned through any layout change (no event fires for those). */
  private loop = (): void => {
    if (this.disposed) return;
    this.overlay.sync();
    this.place();
    this.raf = requestAnimationFrame(this.loop);
  };

  private lastPlace = '';
  private place(): void {
    const host = this.editor.host;
    const r = host.isConnected ? host.getBoundingClientRect() : new DOMRect();
    const cr = this.card ? (this.overlay.rects(this.cardIndex)[0] ?? null) : null;
    const key = `${r.left},${r.top},${r.width},${r.height},${cr?.left},${cr?.top},${!!this.list},${innerWidth},${innerHeight}`;
    if (key === this.lastPlace) return;
    this.lastPlace = key;
    const visible = r.width > 0 && r.height > 0;
    this.chip.style.display = visible ? '' : 'none';
    const cw = this.chip.offsetWidth || 120;
    this.chip.style.left = `${Math.max(4, r.right - cw - 6)}px`;
    this.chip.style.top = `${r.bottom + 4}px`;
    if (this.list) {
      this.list.style.left = `${Math.max(4, r.right - 360)}px`;
      this.list.style.top = `${r.bottom + 30}px`;
    }
    if (this.card) {
      const a = cr ?? r;
      const top = a.bottom + 6 + 200 > innerHeight ? Math.max(4, a.top - 6 - this.card.offsetHeight) : a.bottom + 6;
      this.card.style.left = `${Math.min(Math.max(4, a.left), innerWidth - (this.card.offsetWidth || 350) - 8)}px`;
      this.card.style.top = `${top}px`;
    }
  }

  /** Is the editor (or our card for it) focused? */
  hasFocus(): boolean { return deepActive(document) === this.editor.el; }
}
