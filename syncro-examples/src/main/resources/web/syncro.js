// A small Syncro client for browsers: the Syncro protocol in message mode (one JSON message per
// WebSocket message), the objects of one synced class kept in localStorage, and changes made
// offline queued there too and sent when the connection comes back. No build step.

const SAVED = "syncro.state";

export class SyncroClient {
  /**
   * @param {object} options
   * @param {string} options.url the WebSocket URL of the Syncro node
   * @param {string} [options.klass] the wire name of the class synced
   * @param {(client: SyncroClient) => void} [options.onChange] called after every change
   */
  constructor({ url, klass = "Note", onChange = () => {} }) {
    this.url = url;
    this.klass = klass;
    this.onChange = onChange;
    const saved = JSON.parse(localStorage.getItem(SAVED) || "null");
    this.objects = saved?.objects ?? {};   // id -> object, as the server's create data shapes it
    this.cursor = saved?.cursor ?? null;   // id of the last server scribe applied
    this.outbox = saved?.outbox ?? [];     // scribes made here, not yet acknowledged
    this.pending = new Map();              // request id -> callback
    this.nextId = 1;
    this.socket = null;
    this.wanted = true;                    // whether to stay connected
    this.synced = false;
    window.addEventListener("offline", () => this.goOffline());
    window.addEventListener("online", () => this.goOnline());
  }

  // ---- what the page calls ----

  list() {
    return Object.values(this.objects).sort((a, b) => String(a.id).localeCompare(String(b.id)));
  }

  create(object) {
    this.record("create", { ...object });
  }

  update(id, fields) {
    if (!this.objects[id]) return;
    this.record("update", [id, fields]);
  }

  destroy(id) {
    if (!this.objects[id]) return;
    this.record("destroy", [id]);
  }

  /** "offline", "syncing", "N changes to send", or "in sync". */
  status() {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return "offline";
    if (!this.synced) return "syncing";
    if (this.outbox.length > 0) return `${this.outbox.length} changes to send`;
    return "in sync";
  }

  connect() {
    this.wanted = true;
    if (this.socket) return;
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.synced = false;
      this.request({ type: "sync", from: this.cursor }, (answer) => {
        if (answer.type === "response") {
          (answer.result || []).forEach((scribe) => this.apply(scribe));
          this.synced = true;
          this.changed();
        }
      });
      this.outbox.forEach((entry) => this.send(entry));
      this.changed();
    };
    socket.onmessage = (event) => this.receive(JSON.parse(event.data));
    socket.onclose = () => {
      this.socket = null;
      this.synced = false;
      this.pending.clear();
      this.changed();
      if (this.wanted) setTimeout(() => this.wanted && this.connect(), 1000);
    };
  }

  goOffline() {
    this.wanted = false;
    if (this.socket) this.socket.close();
    this.changed();
  }

  goOnline() {
    this.connect();
  }

  // ---- the protocol ----

  receive(message) {
    switch (message.type) {
      case "sync":
        // This client keeps no log of its own: its changes travel as add_scribe from the outbox.
        this.reply(message.id, []);
        break;
      case "add_scribe":
        this.apply(message.scribe);
        this.reply(message.id, true);
        break;
      case "noop":
        this.reply(message.id, true);
        break;
      case "response":
      case "error": {
        const callback = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (callback) callback(message);
        break;
      }
      default:
        break; // unknown types are ignored, as the protocol says
    }
  }

  request(message, callback) {
    const id = this.nextId++;
    this.pending.set(id, callback);
    this.socket.send(JSON.stringify({ ...message, id }));
  }

  reply(id, result) {
    this.socket.send(JSON.stringify({ type: "response", id, result }));
  }

  /** Applies a scribe from the server and moves the cursor past it; idempotent, as replay must be. */
  apply(scribe) {
    this.change(scribe);
    if (scribe.id != null) this.cursor = scribe.id;
    this.changed();
  }

  change(scribe) {
    if (scribe.klass !== this.klass) return; // classes this client does not sync are skipped
    const data = scribe.data;
    if (scribe.type === "create" && !this.objects[data.id]) {
      this.objects[data.id] = data;
    } else if (scribe.type === "update" && this.objects[data[0]]) {
      Object.assign(this.objects[data[0]], data[1]);
    } else if (scribe.type === "destroy") {
      delete this.objects[data[0]];
    }
  }

  /** A change made here: applied at once, queued, and sent when connected. */
  record(type, data) {
    const scribe = { klass: this.klass, type, data };
    this.change(scribe);
    const entry = { key: crypto.randomUUID(), scribe };
    this.outbox.push(entry);
    this.changed();
    if (this.socket && this.socket.readyState === WebSocket.OPEN) this.send(entry);
  }

  send(entry) {
    this.request({ type: "add_scribe", scribe: entry.scribe }, () => {
      // Acknowledged or refused, it is settled either way: a refusal will not change on resend.
      this.outbox = this.outbox.filter((queued) => queued.key !== entry.key);
      this.changed();
    });
  }

  changed() {
    localStorage.setItem(SAVED, JSON.stringify({
      objects: this.objects, cursor: this.cursor, outbox: this.outbox,
    }));
    this.onChange(this);
  }
}
