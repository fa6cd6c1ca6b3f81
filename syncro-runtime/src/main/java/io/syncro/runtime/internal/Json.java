package io.syncro.runtime.internal;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The one Jackson configuration Syncro reads and writes JSON with. */
public final class Json {
  /**
   * Shared and thread-safe once built. Floats are read as {@code BigDecimal} so that a decimal
   * field keeps every digit a peer sent; strings are escaped as the original peer escapes them
   * ({@link OriginalEscapes}), which also makes byte and character counts agree, as the
   * protocol's framing needs; {@code java.time} values are ISO
   * strings, as generated code writes them; package-private fields of nested objects are seen.
   */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder(
              new JsonFactoryBuilder()
                  // Not ESCAPE_NON_ASCII: it would bypass these escapes and write uppercase hex.
                  .characterEscapes(new OriginalEscapes())
                  .build())
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .visibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.NON_PRIVATE)
          .build();

  /** Builds the trees of scribe data; decimals keep their exact value. */
  public static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private Json() {}
}
