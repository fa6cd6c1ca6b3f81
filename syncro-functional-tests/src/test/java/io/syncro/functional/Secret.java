package io.syncro.functional;

import io.syncro.ScribeClients;
import io.syncro.Syncable;
import java.util.List;

/** Recipients named by a marked method that is not called scribeClients(). */
@Syncable
public class Secret {
  String id;
  transient List<String> audience;

  @ScribeClients
  List<String> audience() {
    return audience;
  }
}
