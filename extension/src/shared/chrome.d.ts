// The slice of the chrome.* extension API ReplyGuard uses. Declared here rather
// than pulling in @types/chrome: it keeps the dependency list to the three
// chosen packages and documents exactly which APIs the extension relies on.
declare namespace chrome {
  type Listener<A extends unknown[]> = {
    addListener(cb: (...args: A) => unknown): void;
    removeListener(cb: (...args: A) => unknown): void;
  };
  namespace runtime {
    const id: string;
    const lastError: { message?: string } | undefined;
    interface MessageSender { tab?: tabs.Tab; frameId?: number; url?: string; id?: string }
    interface Port {
      name: string;
      sender?: MessageSender;
      postMessage(msg: unknown): void;
      disconnect(): void;
      onMessage: Listener<[any, Port]>;
      onDisconnect: Listener<[Port]>;
    }
    function connect(info?: { name?: string }): Port;
    const onConnect: Listener<[Port]>;
    function sendMessage(msg: unknown): Promise<any>;
    const onMessage: Listener<[any, MessageSender, (resp?: unknown) => void]>;
    function getURL(path: string): string;
    function openOptionsPage(): Promise<void>;
    function getContexts(filter: { contextTypes?: string[]; documentUrls?: string[] }): Promise<unknown[]>;
    const onInstalled: Listener<[{ reason: string }]>;
    const onStartup: Listener<[]>;
  }
  namespace storage {
    interface Area {
      get(keys?: string | string[] | null): Promise<Record<string, any>>;
      set(items: Record<string, unknown>): Promise<void>;
      remove(keys: string | string[]): Promise<void>;
    }
    const local: Area;
    const session: Area;
    const onChanged: Listener<[Record<string, { oldValue?: any; newValue?: any }>, string]>;
  }
  namespace offscreen {
    function createDocument(p: { url: string; reasons: string[]; justification: string }): Promise<void>;
  }
  namespace alarms {
    interface Alarm { name: string; scheduledTime: number }
    function create(name: string, info: { periodInMinutes?: number; delayInMinutes?: number; when?: number }): Promise<void> | void;
    const onAlarm: Listener<[Alarm]>;
  }
  namespace notifications {
    function create(id: string, opts: { type: 'basic'; iconUrl: string; title: string; message: string; priority?: number }): Promise<string>;
    const onClicked: Listener<[string]>;
  }
  namespace action {
    function setBadgeText(d: { text: string }): Promise<void>;
    function setBadgeBackgroundColor(d: { color: string }): Promise<void>;
    function setTitle(d: { title: string }): Promise<void>;
  }
  namespace commands {
    const onCommand: Listener<[string, tabs.Tab?]>;
  }
  namespace tabs {
    interface Tab { id?: number; url?: string; active?: boolean; windowId?: number }
    function query(q: { active?: boolean; currentWindow?: boolean; lastFocusedWindow?: boolean; url?: string | string[] }): Promise<Tab[]>;
    function sendMessage(tabId: number, msg: unknown): Promise<any>;
    function create(p: { url: string; active?: boolean }): Promise<Tab>;
  }
}
