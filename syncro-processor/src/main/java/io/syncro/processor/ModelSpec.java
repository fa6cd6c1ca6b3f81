package io.syncro.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import io.syncro.ScribeType;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.TypeElement;

/**
 * A validated {@code @Syncable} type: everything generation needs, and nothing it must check.
 *
 * @param type the annotated type
 * @param className its name for generated code
 * @param klass the wire name
 * @param isRecord whether it is rebuilt through a canonical constructor
 * @param properties in declaration order, superclass fields first; for a record, every component
 *     in constructor order, ignored ones included
 * @param id the synced property that identifies an object
 * @param scribeClientsMethod the recipients method's name, or null for everyone
 * @param recorded the operations recorded as scribes
 */
record ModelSpec(
    TypeElement type,
    ClassName className,
    String klass,
    boolean isRecord,
    List<Property> properties,
    Property id,
    String scribeClientsMethod,
    Set<ScribeType> recorded) {

  List<Property> synced() {
    return properties.stream().filter(Property::synced).toList();
  }

  /**
   * One field or record component.
   *
   * @param name its Java name, also its key in scribe data
   * @param codec how its values are converted; null for properties left out of sync
   * @param access how generated code reaches it; null when it cannot (then it is not copied)
   * @param synced whether it goes into scribes
   * @param defaultValue its value in a record built from data that lacks it
   */
  record Property(
      String name, ValueCodec codec, Access access, boolean synced, CodeBlock defaultValue) {}
}
