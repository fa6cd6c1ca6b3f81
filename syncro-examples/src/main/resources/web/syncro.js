// A small Syncro client for browsers: the Syncro protocol in message mode (one JSON message per
// WebSocket message), the objects of one synced class kept in localStorage, and changes made
// offline queued there too and sent when the connection comes back. Changes merge by the same
// rules as on a Java node (docs/protocol.md, "Replay rules"): every change carries a stamp from
// this client's hybrid logical clock, and per field the latest stamp wins. No build step.

const SAVED = "syncro.state";
const MAX_SKEW_MILLIS = 60_000;

/** A stamp "millis.counter.node" as [millis, counter, node]. */
function parseStamp(text) {
  const first = text.indexOf(".");
  const second = text.indexOf(".", first + 1);
  return [Number(text.slice(0, first)), Number(text.slice(first + 1, second)), text.slice(second + 1)];
}

/**
 * What a client keeps of a record it may no longer see: the fields it last wrote by an update
 * (not by its create), with their values in its copy, as a history a later share merges into;
 * null when there are none. The Java side's RecordHistory.forgetAllBut does the same.
 */
export function ownEdits(history, copy, node) {
  if (!history) return null;
  const values = copy ?? history.retained;
  const kept = { created: null, destroyed: null, fields: {}, retained: {} };
  for (const [name, stamp] of Object.entries(history.fields)) {
    if (parseStamp(stamp)[2] === node && stamp !== history.created && name in values) {
      kept.fields[name] = stamp;
      kept.retained[name] = values[name];
    }
  }
  return Object.keys(kept.fields).length === 0 ? null : kept;
}

/** Whether this client (node) created the record anew after stamp, by its history. */
function createdHereAfter(history, stamp, node) {
  const created = history?.created;
  return created != null && parseStamp(created)[2] === node && later(created, stamp);
}

/** Whether stamp a is later than b (anything is later than none); the order Java nodes use. */
function later(a, b) {
  if (b == null) return a != null;
  if (a == null) return false;
  const [am, ac, an] = parseStamp(a);
  const [bm, bc, bn] = parseStamp(b);
  if (am !== bm) return am > bm;
  if (ac !== bc) return ac > bc;
  return an > bn;
}

/**
 * Merges one change into a record's history ({created, destroyed, fields, retained}), as
 * LastWriterWins.java does: per field the latest stamp wins; a record exists when its latest
 * create is later than its latest destroy; edits never bring a destroyed record back but their
 * values are kept for a later create. A create that shares a record whole may carry its
 * fields' own stamps (fieldStamps, by name; a field not named has the create's stamp). Returns
 * the change to make to this client's copy: {type, fields}, or null.
 */
export function merge(history, type, fields, stamp, current, fieldStamps = {}) {
  const exists = () => history.created == null
    ? current != null && history.destroyed == null
    : later(history.created, history.destroyed);
  const takeWinners = () => {
    const won = {};
    for (const [name, value] of Object.entries(fields)) {
      const written = fieldStamps[name] ?? stamp;
      if (name === "id" || !later(written, history.fields[name])) continue;
      history.fields[name] = written;
      won[name] = value;
    }
    return won;
  };
  if (type === "create") {
    const won = takeWinners();
    if (later(stamp, history.created)) history.created = stamp;
    if (current != null) return Object.keys(won).length ? { type: "update", fields: won } : null;
    if (!exists()) {
      Object.assign(history.retained, won);
      return null;
    }
    const values = { ...history.retained, ...fields };
    for (const [name, value] of Object.entries(history.retained)) {
      if (!(name in won) && name !== "id") values[name] = value;
    }
    history.retained = {};
    return { type: "create", fields: values };
  }
  if (type === "update") {
    const won = takeWinners();
    if (current != null && exists()) {
      return Object.keys(won).length ? { type: "update", fields: won } : null;
    }
    Object.assign(history.retained, won);
    return null;
  }
  if (later(stamp, history.destroyed)) history.destroyed = stamp;
  if (current != null && !exists()) {
    const { id, ...kept } = current;
    history.retained = kept;
    return { type: "destroy" };
  }
  return null;
}

export class SyncroClient {
  /**
   * @param {object} options
   * @param {string} options.url the WebSocket URL of the Syncro node
   * @param {string} [options.token] sent first on every connection ({@code auth}); the server
   *     answers with the uid it knows this client by ({@code client.uid})
   * @param {string} [options.klass] the wire name of the class synced
   * @param {(client: SyncroClient) => void} [options.onChange] called after every change
   * @param {(object: object) => void} [options.onRemoved] called with a record this client lost
   *     because it may no longer see it (the server took it off its readers)
   */
  constructor({ url, token = null, klass = "Note", onChange = () => {}, onRemoved = () => {} }) {
    this.url = url;
    this.token = token;                    // sent first on every connection, when given
    this.uid = null;                       // the uid the server knows this client by, once told
    this.refused = false;                  // the server refused the token: stop connecting
    this.klass = klass;
    this.onChange = onChange;
    this.onRemoved = onRemoved;
    const saved = JSON.parse(localStorage.getItem(SAVED) || "null");
    this.objects = saved?.objects ?? {};   // id -> object, as the server's create data shapes it
    this.cursor = saved?.cursor ?? null;   // id of the last server scribe applied
    this.outbox = saved?.outbox ?? [];     // scribes made here, not yet acknowledged
    this.histories = saved?.histories ?? {}; // id -> merge history of the record
    this.node = saved?.node ?? crypto.randomUUID(); // this client's uid in its stamps
    this.clock = saved?.clock ?? { millis: 0, counter: 0 }; // the last stamp given or seen
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

  /** "token refused", "offline", "syncing", "N changes to send", or "in sync". */
  status() {
    if (this.refused) return "token refused";
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
      if (!this.token) {
        this.startSync();
        return;
      }
      this.request({ type: "auth", token: this.token }, (answer) => {
        if (answer.type === "response") {
          this.uid = answer.result?.uid ?? null;
          this.startSync();
        } else if (answer.code === 429) {
          // Held back, not refused: too many sign-ins failed lately from this address. The
          // server closes; the next try waits longer.
          this.retryDelay = 15000;
        } else {
          // 401: trying again with the same token would not help.
          this.refused = true;
          this.wanted = false;
          socket.close();
          this.changed();
        }
      });
    };
    socket.onmessage = (event) => this.receive(JSON.parse(event.data));
    socket.onclose = () => {
      this.socket = null;
      this.synced = false;
      this.pending.clear();
      this.changed();
      const delay = this.retryDelay ?? 1000;
      this.retryDelay = null;
      if (this.wanted) setTimeout(() => this.wanted && this.connect(), delay);
    };
  }

  /** Asks the server for what it has since the cursor, and sends what waits in the outbox. */
  startSync() {
    this.request({ type: "sync", from: this.cursor }, (answer) => {
      if (answer.type === "response") {
        (answer.result || []).forEach((scribe) => this.apply(scribe));
        this.synced = true;
        this.changed();
      }
    });
    this.outbox.forEach((entry) => this.send(entry));
    this.changed();
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
    this.change(scribe, scribe.stamp ? this.observe(scribe.stamp) : this.nextStamp());
    if (scribe.id != null) this.cursor = scribe.id;
    this.changed();
  }

  /** Merges a stamped scribe of this client's class into its copy. */
  change(scribe, stamp) {
    if (scribe.klass !== this.klass) return; // classes this client does not sync are skipped
    const data = scribe.data;
    const id = scribe.type === "create" ? data.id : data[0];
    if (scribe.type === "destroy" && scribe.removal) {
      // Not a destroy: this client may no longer see the record, which lives on for others.
      // Forget what others wrote of it; keep this client's own latest edits, out of sight, in
      // case a later share was recorded before the server took one of them. A stamped removal
      // answers a change of this client's that the server refused: a copy this client created
      // since is judged on its own, so it stays.
      if (scribe.stamp && createdHereAfter(this.histories[id], scribe.stamp, this.node)) return;
      const removed = this.objects[id];
      delete this.objects[id];
      const kept = ownEdits(this.histories[id], removed, this.node);
      if (kept) this.histories[id] = kept;
      else delete this.histories[id];
      if (removed) this.onRemoved(removed);
      return;
    }
    const history = this.histories[id] ??= { created: null, destroyed: null, fields: {}, retained: {} };
    const fields = scribe.type === "create" ? data : scribe.type === "update" ? data[1] : {};
    const fieldStamps = {};
    for (const [name, seen] of Object.entries(scribe.stamps ?? {})) fieldStamps[name] = this.observe(seen);
    const effect = merge(history, scribe.type, fields, stamp, this.objects[id] ?? null, fieldStamps);
    if (effect?.type === "create") {
      this.objects[id] = { ...effect.fields, id };
    } else if (effect?.type === "update") {
      Object.assign(this.objects[id], effect.fields);
    } else if (effect?.type === "destroy") {
      delete this.objects[id];
    }
  }

  /** A stamp for a change made here now: later than any given or seen. */
  nextStamp() {
    const now = Date.now();
    if (now > this.clock.millis) {
      this.clock = { millis: now, counter: 0 };
    } else {
      this.clock = { millis: this.clock.millis, counter: this.clock.counter + 1 };
    }
    return `${this.clock.millis}.${this.clock.counter}.${this.node}`;
  }

  /** Takes in a stamp from the server; one too far ahead of this clock counts as made now. */
  observe(stamp) {
    const [millis, counter] = parseStamp(stamp);
    if (millis > Date.now() + MAX_SKEW_MILLIS) return this.nextStamp();
    if (millis > this.clock.millis || (millis === this.clock.millis && counter > this.clock.counter)) {
      this.clock = { millis, counter };
    }
    return stamp;
  }

  /** A change made here: applied at once, queued, and sent when connected. */
  record(type, data) {
    const id = type === "create" ? data.id : data[0];
    const history = this.histories[id];
    // Stamped after everything the record holds, so it wins here and everywhere.
    for (const seen of [history?.created, history?.destroyed, ...Object.values(history?.fields ?? {})]) {
      if (seen) this.observe(seen);
    }
    const stamp = this.nextStamp();
    const scribe = { klass: this.klass, type, data, stamp };
    this.change(scribe, stamp);
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
      histories: this.histories, node: this.node, clock: this.clock,
    }));
    this.onChange(this);
  }
}
