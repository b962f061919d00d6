// Editor: one interface over a <textarea> (plain or inside kat-textarea's
// shadow root) and a contenteditable element. Text offsets are UTF-16 code
// units into getText(), the same offsets policy.wasm reports.
//
// Writes go through the editor's own input path (focus, select, then
// execCommand('insertText')) so the browser's undo stack and the page's
// framework (which listens for input events) both see the change. ReplyGuard
// never edits the page's editor DOM directly.

import type { EditorKind, ReplyBox } from './adapter';

export interface Editor {
  readonly el: HTMLElement;
  readonly host: HTMLElement;
  readonly kind: EditorKind;
  getText(): string;
  /** Current selection as text offsets, or null when the editor does not hold it. */
  getSelection(): { start: number; end: number } | null;
  select(start: number, end: number): void;
  /** Replace [start, end) with text through the undoable input path. */
  replace(start: number, end: number, text: string): boolean;
  /** DOM Range for [start, end) (contenteditable only). */
  range(start: number, end: number): Range | null;
}

export function makeEditor(box: ReplyBox): Editor {
  return box.kind === 'textarea' ? new TextareaEditor(box) : new RichEditor(box);
}

function insertText(el: HTMLElement, text: string): boolean {
  // The element must be focused for execCommand; doc is the editor's document.
  const doc = el.ownerDocument;
  if (text === '') return doc.execCommand('delete', false);
  return doc.execCommand('insertText', false, text);
}

class TextareaEditor implements Editor {
  readonly el: HTMLTextAreaElement;
  readonly host: HTMLElement;
  readonly kind = 'textarea' as const;
  constructor(box: ReplyBox) { this.el = box.el as HTMLTextAreaElement; this.host = box.host; }
  getText(): string { return this.el.value; }
  getSelection() {
    const active = deepActive(this.el.ownerDocument);
    if (active !== this.el) return null;
    return { start: this.el.selectionStart, end: this.el.selectionEnd };
  }
  select(start: number, end: number): void { this.el.focus(); this.el.setSelectionRange(start, end); }
  replace(start: number, end: number, text: string): boolean {
    this.select(start, end);
    const ok = insertText(this.el, text);
    if (!ok || this.el.value.slice(start, start + text.length) !== text) {
      // Fallback for browsers without insertText on textareas: still undoable via setRangeText + input event.
      this.el.setRangeText(text, start, end, 'end');
      this.el.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, inputType: 'insertReplacementText', data: text }));
    }
    return true;
  }
  range(): Range | null { return null; }
}

/** Maps between text offsets and DOM positions inside a contenteditable. */
interface Seg { node: Node; start: number; len: number; text: boolean }

const BLOCK = /^(DIV|P|LI|UL|OL|H[1-6]|BLOCKQUOTE|PRE|TR|TABLE|SECTION|ARTICLE)$/;

class RichEditor implements Editor {
  readonly el: HTMLElement;
  readonly host: HTMLElement;
  readonly kind = 'contenteditable' as const;
  private segs: Seg[] = [];
  private text = '';
  constructor(box: ReplyBox) { this.el = box.el; this.host = box.host; }

  /** Walk the editor: text nodes give their data, <br> and block boundaries give "\n". */
  private build(): void {
    const segs: Seg[] = [];
    let text = '';
    const walk = (n: Node, first: { v: boolean }) => {
      for (let c = n.firstChild; c; c = c.nextSibling) {
        if (c.nodeType === Node.TEXT_NODE) {
          const d = (c as Text).data;
          segs.push({ node: c, start: text.length, len: d.length, text: true });
          text += d; first.v = false;
        } else if (c.nodeType === Node.ELEMENT_NODE) {
          const e = c as Element;
          if (e.tagName === 'BR') {
            // A lone trailing <br> in a block only keeps the block open; it adds no text.
            if (!(e.nextSibling === null && e.parentNode !== this.el && BLOCK.test((e.parentNode as Element).tagName))) {
              segs.push({ node: e, start: text.length, len: 1, text: false });
              text += '\n';
            }
            first.v = false;
            continue;
          }
          const block = BLOCK.test(e.tagName);
          if (block && !first.v && !text.endsWith('\n')) {
            segs.push({ node: e, start: text.length, len: 1, text: false });
            text += '\n';
          }
          walk(e, first);
          if (block) first.v = false;
        }
      }
    };
    walk(this.el, { v: true });
    this.segs = segs;
    this.text = text;
  }

  getText(): string { this.build(); return this.text; }

  private pos(offset: number, preferEnd: boolean): { node: Node; offset: number } {
    for (const s of this.segs) {
      if (!s.text) continue;
      if (offset < s.start + s.len || (offset === s.start + s.len && preferEnd)) {
        if (offset >= s.start) return { node: s.node, offset: offset - s.start };
      }
    }
    // Past every text node (or offset on a line break): place before the next segment or at the end.
    for (const s of this.segs) {
      if (s.start >= offset) {
        if (s.text) return { node: s.node, offset: 0 };
        const n = s.node;
        const parent = n.parentNode!;
        return { node: parent, offset: Array.prototype.indexOf.call(parent.childNodes, n) };
      }
    }
    const last = [...this.segs].reverse().find((s) => s.text);
    if (last) return { node: last.node, offset: last.len };
    return { node: this.el, offset: this.el.childNodes.length };
  }

  private offsetOf(node: Node, off: number): number {
    if (node.nodeType === Node.TEXT_NODE) {
      const s = this.segs.find((x) => x.node === node);
      return s ? s.start + Math.min(off, s.len) : 0;
    }
    // Element position: the offset of the first segment at or after child[off].
    const r = document.createRange();
    r.setStart(node, off);
    for (const s of this.segs) {
      const cmp = r.comparePoint(s.node, 0);
      if (cmp >= 0) return s.start;
    }
    return this.text.length;
  }

  getSelection() {
    const root = this.el.getRootNode() as Document | ShadowRoot;
    const sel = ('getSelection' in root && typeof (root as any).getSelection === 'function') ? (root as any).getSelection() as Selection : document.getSelection();
    if (!sel || sel.rangeCount === 0) return null;
    const r = sel.getRangeAt(0);
    if (!this.el.contains(r.startContainer) || !this.el.contains(r.endContainer)) return null;
    this.build();
    return { start: this.offsetOf(r.startContainer, r.startOffset), end: this.offsetOf(r.endContainer, r.endOffset) };
  }

  range(start: number, end: number): Range | null {
    this.build();
    const a = this.pos(start, false), b = this.pos(end, true);
    const r = document.createRange();
    try { r.setStart(a.node, a.offset); r.setEnd(b.node, b.offset); } catch { return null; }
    return r;
  }

  select(start: number, end: number): void {
    this.el.focus();
    const r = this.range(start, end);
    if (!r) return;
    const sel = document.getSelection()!;
    sel.removeAllRanges();
    sel.addRange(r);
  }

  replace(start: number, end: number, text: string): boolean {
    this.select(start, end);
    return insertText(this.el, text);
  }
}

/** deepActive follows activeElement through open shadow roots. */
export function deepActive(doc: Document): Element | null {
  let a: Element | null = doc.activeElement;
  while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
  return a;
}
