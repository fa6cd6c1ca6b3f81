package io.syncro.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncro.runtime.generated.GeneratedSyncModel;
import io.syncro.runtime.internal.Json;

/** What an older processor wrote: no contract version, so the runtime must refuse it clearly. */
public final class OldGenerated_SyncModel extends GeneratedSyncModel<OldGenerated, String> {
  public OldGenerated_SyncModel() {
    super(OldGenerated.class, String.class, "OldGenerated", "id");
  }

  @Override
  public String idOf(OldGenerated object) {
    return object.id;
  }

  @Override
  public Recipients recipientsOf(OldGenerated object) {
    return Recipients.everyone();
  }

  @Override
  public OldGenerated copy(OldGenerated object) {
    return object;
  }

  @Override
  protected void writeFields(OldGenerated object, ObjectNode data) {}

  @Override
  protected void writeChangedFields(OldGenerated before, OldGenerated after, ObjectNode changes) {}

  @Override
  protected OldGenerated fromData(ObjectNode data) {
    return new OldGenerated();
  }

  @Override
  protected OldGenerated applyChanges(OldGenerated target, ObjectNode changes, ObjectNode applied) {
    return target;
  }

  @Override
  protected JsonNode idToJson(String id) {
    return Json.NODES.textNode(id);
  }

  @Override
  protected String idFromJson(JsonNode id) {
    return id.asText();
  }
}
