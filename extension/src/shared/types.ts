// Types shared by the content script, the offscreen policy host, the service
// worker, the popup and the options page. Finding and LintContext mirror
// policy/types.go (offsets are UTF-16 code units, what JS strings index).

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  rule: string;
  severity: Severity;
  start: number;
  end: number;
  line?: number;
  col?: number;
  message: string;
  fix?: { replacement: string };
}

export interface LintContext {
  kind?: 'reply' | 'proactive';
  order_date?: string;
  delivery_date?: string;
  now?: string;
  marketplace?: string;
  previous_review_requests?: number;
}

export interface Classification {
  scenario: string;
  confidence: number;
  order_id?: string;
  forwarded?: boolean;
}

export interface RuleInfo {
  id: string;
  title: string;
  severity: Severity;
  rationale: string;
  policy_url?: string;
}

/** A reply template as the picker uses it (normalised from the companion or the bundle). */
export interface Template {
  id: string;
  title: string;
  scenario: string;
  body: string;
  language?: string;
  marketplaces?: string[];
}

/** Requests on the "policy" port (content script or extension page -> offscreen document). */
export type PolicyRequest =
  | { id: number; op: 'lint'; text: string; ctx: LintContext }
  | { id: number; op: 'classify'; text: string }
  | { id: number; op: 'rules' }
  | { id: number; op: 'version' };

export interface PolicyResponse {
  id: number;
  ok: boolean;
  error?: string;
  findings?: Finding[];
  classification?: Classification;
  rules?: RuleInfo[];
  version?: string;
  /** Time spent inside policy.wasm, ms. */
  ms?: number;
}

/** What a seller sent, recorded in the companion's history. */
export interface ReplyRecord {
  client_id: string;
  order_id?: string;
  marketplace?: string;
  text: string;
  template_id?: string;
  findings: Finding[];
  sent_at: string;
  url?: string;
  scenario?: string;
  buyer_message?: { text: string; received_at?: string };
  context?: LintContext;
}

/** A buyer message awaiting reply (starts the 24 h deadline). */
export interface MessageSeen {
  client_id: string;
  order_id: string;
  marketplace?: string;
  received_at: string;
  buyer?: string;
  url?: string;
  scenario?: string;
}

export interface Deadline {
  order_id: string;
  due_at: string;
  received_at?: string;
  url?: string;
  buyer?: string;
  state?: string;
}

export interface CompanionStatus {
  state: 'unpaired' | 'connecting' | 'connected' | 'offline' | 'auth-failed';
  address: string;
  detail?: string;
  queued: number;
  lastConnected?: string;
}

/** chrome.runtime.sendMessage requests handled by the service worker. */
export type WorkerRequest =
  | { to: 'worker'; type: 'ensure-offscreen' }
  | { to: 'worker'; type: 'templates' }
  | { to: 'worker'; type: 'template'; id: string }
  | { to: 'worker'; type: 'flush' }
  | { to: 'worker'; type: 'reply-sent'; reply: ReplyRecord }
  | { to: 'worker'; type: 'message-seen'; seen: MessageSeen }
  | { to: 'worker'; type: 'status' }
  | { to: 'worker'; type: 'deadlines' }
  | { to: 'worker'; type: 'pair'; address: string; code: string }
  | { to: 'worker'; type: 'unpair' }
  | { to: 'worker'; type: 'reconnect' };

export interface Settings {
  sendGuard: boolean;
  disabledRules: string[];
  companionAddress: string;
}

export const DEFAULT_SETTINGS: Settings = {
  sendGuard: true,
  disabledRules: [],
  companionAddress: '127.0.0.1:47615',
};

export async function loadSettings(): Promise<Settings> {
  const got = await chrome.storage.local.get('settings');
  return { ...DEFAULT_SETTINGS, ...(got['settings'] ?? {}) };
}

export async function saveSettings(patch: Partial<Settings>): Promise<Settings> {
  const next = { ...(await loadSettings()), ...patch };
  await chrome.storage.local.set({ settings: next });
  return next;
}
