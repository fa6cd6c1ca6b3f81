// Replays stamped changes of one record through syncro.js's merge, in the order given, and prints
// the record's final values and history as JSON, for SyncroJsMergeTest to compare with Java's.
// Input (stdin): [{"type":"create"|"update"|"destroy","fields":{...},"stamp":"m.c.node"}, ...];
// a "removal" (alice, the replaying client, may no longer see the record) has no stamp.
import { merge, ownEdits } from "../../main/resources/web/syncro.js";

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const runs = JSON.parse(input);
  const results = runs.map((changes) => {
    const empty = () => ({ created: null, destroyed: null, fields: {}, retained: {} });
    let history = empty();
    let values = null;
    for (const change of changes) {
      if (change.type === "removal") {
        history = ownEdits(history, values, "alice") ?? empty();
        values = null;
        continue;
      }
      const effect = merge(history, change.type, change.fields, change.stamp, values);
      if (effect?.type === "create") values = { ...effect.fields, id: "r" };
      else if (effect?.type === "update") Object.assign(values, effect.fields);
      else if (effect?.type === "destroy") values = null;
    }
    // As Java stores a history: keys without a value left out.
    const stored = { fields: history.fields };
    if (history.created != null) stored.created = history.created;
    if (history.destroyed != null) stored.destroyed = history.destroyed;
    if (Object.keys(history.retained).length > 0) stored.retained = history.retained;
    return { values, history: stored };
  });
  process.stdout.write(JSON.stringify(results));
});
