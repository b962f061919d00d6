// ReplyGuard's own UI layer: one element appended to <html> with an open
// shadow root, so the page's CSS cannot restyle it and ReplyGuard's cannot leak.
// The mirror overlays, status chips, cards, picker and send dialog live here.

export const UI_TAG = 'replyguard-ui';

const CSS = `
:host { all: initial; }
.layer { position: fixed; inset: 0; pointer-events: none; z-index: 2147483000; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f1f1f; }
.rg-mirror-box { position: fixed; overflow: hidden; pointer-events: none; }
.rg-mirror { color: transparent; margin: 0; border: 0; overflow: hidden; }
.rg-u { text-decoration-line: underline; text-decoration-style: wavy; text-decoration-skip-ink: none; text-underline-offset: 3px; text-decoration-thickness: 1.5px; }
.rg-error { text-decoration-color: #d93025; }
.rg-warning { text-decoration-color: #e37400; }
.rg-info { text-decoration-color: #1a73e8; }
.chip { position: fixed; pointer-events: auto; display: inline-flex; gap: 6px; align-items: center; border: 1px solid #c8ccd1; background: #fff; border-radius: 12px; padding: 2px 10px 2px 8px; font-size: 12px; box-shadow: 0 1px 3px rgba(0,0,0,.15); }
.chip .status { display: inline-flex; gap: 6px; align-items: center; border: 0; background: none; padding: 0; font: inherit; color: inherit; cursor: pointer; }
.chip button:focus-visible, .card button:focus-visible, .picker :focus-visible, .dialog button:focus-visible { outline: 2px solid #1a73e8; outline-offset: 2px; }
.chip .dot { width: 8px; height: 8px; border-radius: 50%; background: #188038; }
.chip[data-state=error] .dot { background: #d93025; }
.chip[data-state=warning] .dot { background: #e37400; }
.chip[data-state=unavailable] .dot { background: #9aa0a6; }
.chip .tpl { border: 0; background: none; padding: 0 0 0 6px; border-left: 1px solid #ddd; cursor: pointer; font: inherit; color: #1a73e8; }
.list { position: fixed; pointer-events: auto; background: #fff; border: 1px solid #c8ccd1; border-radius: 8px; box-shadow: 0 4px 16px rgba(0,0,0,.18); padding: 6px; max-width: 360px; max-height: 240px; overflow: auto; }
.list button { display: block; width: 100%; text-align: left; border: 0; background: none; padding: 4px 6px; border-radius: 4px; font: inherit; cursor: pointer; }
.list button:hover, .list button:focus { background: #eef3fd; }
.card { position: fixed; pointer-events: auto; width: 320px; background: #fff; border: 1px solid #c8ccd1; border-left: 4px solid #d93025; border-radius: 8px; box-shadow: 0 6px 20px rgba(0,0,0,.2); padding: 10px 12px; }
.card[data-severity=warning] { border-left-color: #e37400; }
.card[data-severity=info] { border-left-color: #1a73e8; }
.card h2 { font-size: 13px; margin: 0 0 4px; font-weight: 600; }
.card .sev { font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: #5f6368; margin-bottom: 4px; }
.card .rule { font-family: ui-monospace, monospace; font-size: 11px; color: #5f6368; }
.card p { margin: 4px 0; }
.card .why { color: #3c4043; font-size: 12px; }
.card a { color: #1a73e8; }
.card .actions { display: flex; gap: 8px; margin-top: 8px; flex-wrap: wrap; }
.card button, .dialog button { font: inherit; border-radius: 6px; padding: 4px 10px; border: 1px solid #c8ccd1; background: #fff; cursor: pointer; }
.card button.fix, .dialog button.primary { background: #1a73e8; border-color: #1a73e8; color: #fff; }
.card .close { position: absolute; top: 4px; right: 6px; border: 0; padding: 2px 6px; }
.picker { position: fixed; pointer-events: auto; width: 420px; max-height: 420px; display: flex; flex-direction: column; background: #fff; border: 1px solid #c8ccd1; border-radius: 10px; box-shadow: 0 8px 28px rgba(0,0,0,.25); padding: 10px; }
.picker input { font: inherit; padding: 6px 8px; border: 1px solid #c8ccd1; border-radius: 6px; margin-bottom: 6px; }
.picker ul { list-style: none; margin: 0; padding: 0; overflow: auto; }
.picker li { padding: 6px 8px; border-radius: 6px; cursor: pointer; }
.picker li[aria-selected=true] { background: #e8f0fe; }
.picker li .t { font-weight: 600; }
.picker li .s { font-size: 11px; color: #5f6368; }
.picker li .badge { font-size: 10px; background: #e6f4ea; color: #137333; border-radius: 4px; padding: 0 4px; margin-left: 6px; }
.picker .hint { font-size: 11px; color: #5f6368; margin-top: 6px; }
.dialog-back { position: fixed; inset: 0; pointer-events: auto; background: rgba(0,0,0,.25); display: grid; place-items: center; }
.dialog { background: #fff; border-radius: 10px; padding: 16px 18px; width: 380px; box-shadow: 0 8px 28px rgba(0,0,0,.3); }
.dialog h2 { font-size: 15px; margin: 0 0 8px; }
.dialog ul { margin: 6px 0 10px; padding-left: 18px; }
.dialog .actions { display: flex; gap: 8px; justify-content: flex-end; margin-top: 10px; }
.dialog label { font-size: 12px; color: #3c4043; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;

export interface Ui { host: HTMLElement; root: ShadowRoot; layer: HTMLElement; live: HTMLElement }

let ui: Ui | null = null;

export function getUi(): Ui {
  if (ui && ui.host.isConnected) return ui;
  const host = document.createElement(UI_TAG);
  const root = host.attachShadow({ mode: 'open' });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(CSS);
  root.adoptedStyleSheets = [sheet];
  const layer = document.createElement('div');
  layer.className = 'layer';
  const live = document.createElement('div');
  live.className = 'sr';
  live.setAttribute('aria-live', 'polite');
  live.setAttribute('role', 'status');
  layer.append(live);
  root.append(layer);
  document.documentElement.append(host);
  ui = { host, root, layer, live };
  return ui;
}

export function announce(text: string): void {
  const { live } = getUi();
  live.textContent = '';
  // A fresh text node after clearing makes screen readers announce repeats too.
  setTimeout(() => { live.textContent = text; }, 30);
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...kids: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else e.setAttribute(k, v);
  }
  e.append(...kids);
  return e;
}
