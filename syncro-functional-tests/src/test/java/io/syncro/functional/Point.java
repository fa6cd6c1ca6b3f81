package io.syncro.functional;

import io.syncro.SyncIgnore;
import io.syncro.Syncable;
import java.util.List;

/** A record: replay rebuilds it through the canonical constructor. */
@Syncable(klass = "Pt")
public record Point(long id, int x, int y, List<String> labels, @SyncIgnore String cache) {}
