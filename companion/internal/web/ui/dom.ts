// Small DOM helpers shared by the page scripts.
export function $(sel: string, root: ParentNode = document): HTMLElement | null { return root.querySelector(sel); }
export function $$(sel: string, root: ParentNode = document): HTMLElement[] { return Array.from(root.querySelectorAll(sel)); }

// The element builder is the extension's (its controller, which the page
// reuses, already brings it along).
export { h } from '../../../../extension/src/content/ui';

export function csrf(): string { return (document.querySelector('meta[name=csrf-token]') as HTMLMetaElement | null)?.content ?? ''; }

/** api sends a same-origin request with the CSRF token and throws the server's error message. */
export async function api(method: string, path: string, body?: unknown): Promise<any> {
  const headers: Record<string, string> = { 'X-CSRF-Token': csrf() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  if (!r.ok) {
    let msg = `${r.status} ${r.statusText}`;
    try { msg = (await r.json()).error ?? msg; } catch { /* keep the status */ }
    throw new Error(msg);
  }
  return r.status === 204 ? null : r.json();
}

export function debounce<A extends unknown[]>(fn: (...a: A) => void, ms: number): (...a: A) => void {
  let t = 0;
  return (...a: A) => { clearTimeout(t); t = window.setTimeout(() => fn(...a), ms); };
}
