// The offscreen document: ReplyGuard's policy host for extension pages and the
// fallback for content scripts. It runs policy.wasm in an extension context,
// whose CSP allows 'wasm-unsafe-eval', so linting works whatever the Seller
// Central page's own CSP is. Clients reach it over chrome.runtime ports named
// "policy" (one hop, no service-worker relay).

import type { PolicyRequest } from '../shared/types';
import { answer } from './host';

chrome.runtime.onConnect.addListener((port) => {
  if (port.name !== 'policy') return;
  port.onMessage.addListener((req: PolicyRequest) => answer(req, (r) => port.postMessage(r)));
});

// Extension pages (options) may also ask with sendMessage.
chrome.runtime.onMessage.addListener((msg, _sender, respond) => {
  if (!msg || msg.to !== 'policy') return false;
  answer(msg.req as PolicyRequest, respond);
  return true;
});
