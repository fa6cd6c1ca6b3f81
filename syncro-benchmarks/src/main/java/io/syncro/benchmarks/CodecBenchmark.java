package io.syncro.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncro.runtime.Scribe;
import io.syncro.runtime.SyncModel;
import io.syncro.runtime.SyncModels;
import io.syncro.runtime.internal.FrameDecoder;
import io.syncro.runtime.internal.Json;
import io.syncro.runtime.internal.Messages;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A typical add_scribe through Syncro's codec (the scribe written with the original's escapes,
 * wrapped, framed, split out of the stream, parsed and read back into a Scribe) beside raw
 * Jackson writing and reading the same message as a tree. Goal: at least 0.8x raw Jackson.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CodecBenchmark {
  private Scribe scribe;
  private JsonNode message;
  private FrameDecoder decoder;
  private byte[] decoded;

  @Setup
  public void setUp() throws IOException {
    SyncModel<Item, String> model = SyncModels.of(Item.class, String.class);
    scribe = model.recordCreate(Item.number(42)).orElseThrow().withId("123456");
    message = Json.readTree(Messages.addScribe(scribe.toJson(), 7));
    decoder = new FrameDecoder(Messages.MAX_FRAME_BYTES);
  }

  @Benchmark
  public Scribe framedCodec() throws IOException {
    byte[] frame = Messages.frame(Messages.addScribe(scribe.toJson(), 7));
    decoder.feed(frame, 0, frame.length, payload -> decoded = payload);
    return Scribe.fromTree(Json.readTree(decoded).get("scribe"));
  }

  @Benchmark
  public JsonNode rawJackson() throws IOException {
    return Json.readTree(Json.writeValueAsBytes(message));
  }
}
