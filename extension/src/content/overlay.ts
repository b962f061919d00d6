// Underline renderers. Neither touches the page's editor DOM:
//  - TextareaOverlay draws a mirror of the textarea (same box, font, wrapping
//    and scroll position) in ReplyGuard's own shadow root, with transparent
//    text and coloured underlines on the flagged spans.
//  - HighlightOverlay uses the CSS Custom Highlight API over contenteditable,
//    so the browser paints the underline on the live text itself.
// Both answer rects(i) for hover hit-testing and card placement.

import type { Finding, Severity } from '../shared/types';
import type { Editor } from './editor';

export interface Overlay {
  render(text: string, findings: readonly Finding[]): void;
  /** Client rects of finding i (as last rendered). */
  rects(i: number): DOMRect[];
  /** Re-align with the editor after scroll/resize/zoom/layout changes; cheap when nothing moved. */
  sync(): void;
  destroy(): void;
}

export const COLORS: Record<Severity, string> = { error: '#d93025', warning: '#e37400', info: '#1a73e8' };
const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * isDocLevel: a warning or tip about the whole message (e.g. missing-order-id)
 * is listed by the status chip, not drawn under every word.
 */
export function isDocLevel(f: Finding, text: string): boolean {
  return f.severity !== 'error' && f.start <= 0 && f.end >= text.length && text.length > 0;
}

// Properties that decide where text wraps and sits inside a textarea.
const MIRRORED = [
  'direction', 'boxSizing', 'fontFamily', 'fontSize', 'fontWeight', 'fontStyle', 'fontVariant', 'fontStretch',
  'fontFeatureSettings', 'fontKerning', 'lineHeight', 'letterSpacing', 'wordSpacing', 'textTransform', 'textIndent',
  'textAlign', 'tabSize', 'whiteSpace', 'wordBreak', 'overflowWrap', 'hyphens', 'paddingTop', 'paddingRight',
  'paddingBottom', 'paddingLeft',
] as const;

export class TextareaOverlay implements Overlay {
  private box: HTMLDivElement;
  private mirror: HTMLDivElement;
  private spans: HTMLSpanElement[][] = [];
  private ta: HTMLTextAreaElement;

  constructor(private editor: Editor, layer: HTMLElement) {
    this.ta = editor.el as HTMLTextAreaElement;
    this.box = document.createElement('div');
    this.box.className = 'rg-mirror-box';
    this.mirror = document.createElement('div');
    this.mirror.className = 'rg-mirror';
    this.mirror.setAttribute('aria-hidden', 'true');
    this.box.append(this.mirror);
    layer.append(this.box);
    this.sync(true);
  }

  render(text: string, findings: readonly Finding[]): void {
    const frag = document.createDocumentFragment();
    this.spans = findings.map(() => []);
    // Overlapping findings: cut the text at every boundary; each piece gets
    // the colour of the most severe finding covering it and remembers all of
    // them (for hover). An error inside a warning stays red.
    const drawn = findings.map((f) => !isDocLevel(f, text) && f.end > f.start && f.start < text.length);
    const cuts = new Set<number>([0, text.length]);
    findings.forEach((f, i) => { if (drawn[i]) { cuts.add(Math.max(0, f.start)); cuts.add(Math.min(text.length, f.end)); } });
    const bounds = [...cuts].sort((a, b) => a - b);
    for (let k = 0; k + 1 < bounds.length; k++) {
      const a = bounds[k]!, b = bounds[k + 1]!;
      const cover: number[] = [];
      findings.forEach((f, i) => { if (drawn[i] && f.start <= a && f.end >= b) cover.push(i); });
      if (!cover.length) { frag.append(text.slice(a, b)); continue; }
      const sev = cover.map((i) => findings[i]!.severity).sort((x, y) => RANK[x] - RANK[y])[0]!;
      const sp = document.createElement('span');
      sp.className = `rg-u rg-${sev}`;
      sp.textContent = text.slice(a, b);
      sp.dataset['i'] = cover.join(' ');
      frag.append(sp);
      for (const i of cover) this.spans[i]!.push(sp);
    }
    // A trailing newline in a textarea opens a line; a div needs a character to do the same.
    frag.append('\u200b');
    this.mirror.replaceChildren(frag);
    // Styles are copied when the geometry changes (sync); new text only needs the scroll position.
    this.sync();
    this.box.scrollTop = this.ta.scrollTop;
    this.box.scrollLeft = this.ta.scrollLeft;
  }

  rects(i: number): DOMRect[] {
    const sps = this.spans[i];
    if (!sps?.length) return [];
    const clip = this.box.getBoundingClientRect();
    return sps.flatMap((sp) => Array.from(sp.getClientRects())).filter((r) => r.bottom > clip.top && r.top < clip.bottom && r.right > clip.left && r.left < clip.right);
  }

  private geom = '';
  sync(force = false): void {
    const ta = this.ta;
    if (!ta.isConnected) { this.box.style.display = 'none'; return; }
    const r = ta.getBoundingClientRect();
    const key = `${r.left},${r.top},${r.width},${r.height},${ta.offsetWidth},${ta.clientWidth},${ta.clientHeight},${ta.scrollTop},${ta.scrollLeft},${devicePixelRatio}`;
    if (!force && key === this.geom) return;
    this.geom = key;
    const cs = getComputedStyle(ta);
    const hidden = cs.visibility === 'hidden' || cs.display === 'none' || r.width === 0;
    this.box.style.display = hidden ? 'none' : 'block';
    if (hidden) return;
    const bl = parseFloat(cs.borderLeftWidth) || 0, bt = parseFloat(cs.borderTopWidth) || 0;
    // CSS zoom on an ancestor scales the textarea's rendering but not its
    // computed lengths; draw the mirror in the same zoom (browser zoom and
    // pinch zoom scale our layer too and need nothing here).
    const z = ta.offsetWidth > 0 ? r.width / ta.offsetWidth : 1;
    const b = this.box.style;
    b.zoom = Math.abs(z - 1) < 0.001 ? '' : String(z);
    const zz = Math.abs(z - 1) < 0.001 ? 1 : z;
    b.left = `${(r.left + bl * zz) / zz}px`;
    b.top = `${(r.top + bt * zz) / zz}px`;
    b.width = `${ta.clientWidth}px`;
    b.height = `${ta.clientHeight}px`;
    const ms = this.mirror.style as unknown as Record<string, string>;
    for (const p of MIRRORED) ms[p] = (cs as unknown as Record<string, string>)[p] ?? '';
    ms['boxSizing'] = 'border-box';
    ms['width'] = `${ta.clientWidth}px`;
    ms['minHeight'] = `${ta.clientHeight}px`;
    // Textareas wrap even when white-space says pre (Chromium maps wrap=soft to pre-wrap).
    if (!/pre-wrap|break-spaces/.test(cs.whiteSpace)) ms['whiteSpace'] = 'pre-wrap';
    this.box.scrollTop = ta.scrollTop;
    this.box.scrollLeft = ta.scrollLeft;
  }

  destroy(): void { this.box.remove(); }
}

/** Shared CSS highlights: one Highlight per severity holding every editor's ranges. */
const registry = new Map<HighlightOverlay, { sev: Severity; range: Range }[]>();
const sheets = new WeakSet<Document | ShadowRoot>();

function refreshHighlights(): void {
  const by: Record<Severity, Range[]> = { error: [], warning: [], info: [] };
  for (const list of registry.values()) for (const { sev, range } of list) by[sev].push(range);
  for (const sev of ['error', 'warning', 'info'] as Severity[]) {
    const name = `replyguard-${sev}`;
    if (by[sev].length === 0) CSS.highlights.delete(name);
    else {
      const hl = new Highlight(...by[sev]);
      hl.priority = 2 - RANK[sev]; // an error paints over a warning it overlaps
      CSS.highlights.set(name, hl);
    }
  }
}

/** The ::highlight() rules must live in the tree that holds the text; adopted sheets leave the page's own styles alone. */
function ensureHighlightSheet(root: Document | ShadowRoot): void {
  if (sheets.has(root)) return;
  sheets.add(root);
  const sheet = new CSSStyleSheet();
  sheet.replaceSync((['error', 'warning', 'info'] as Severity[]).map((s) =>
    `::highlight(replyguard-${s}){text-decoration:underline wavy ${COLORS[s]};text-decoration-skip-ink:none;text-underline-offset:3px;text-decoration-thickness:1.5px;}`).join('\n'));
  root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}

export class HighlightOverlay implements Overlay {
  private ranges: (Range | null)[] = [];
  constructor(private editor: Editor) {
    ensureHighlightSheet(editor.el.getRootNode() as Document | ShadowRoot);
  }
  render(_text: string, findings: readonly Finding[]): void {
    this.ranges = findings.map((f) => (isDocLevel(f, _text) ? null : this.editor.range(f.start, f.end)));
    const list: { sev: Severity; range: Range }[] = [];
    findings.forEach((f, i) => { const r = this.ranges[i]; if (r) list.push({ sev: f.severity, range: r }); });
    registry.set(this, list);
    refreshHighlights();
  }
  rects(i: number): DOMRect[] {
    const r = this.ranges[i];
    return r ? Array.from(r.getClientRects()) : [];
  }
  sync(): void { /* the browser paints highlights on the text itself */ }
  destroy(): void { registry.delete(this); refreshHighlights(); }
}
