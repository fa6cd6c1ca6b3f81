package io.syncro.processor;

import io.syncro.ScribeType;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;

/**
 * A validated {@code @Syncable} type: everything generation needs, and nothing it must check.
 * The validator builds it from the compiler's model of the type, writing no code; the generator
 * turns it into code, checking nothing.
 *
 * @param type the annotated type
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
   * @param valueType its type, as a member of the synced type; for a synced property, one the
   *     validator found a codec for ({@link ValueCodec#problem} found nothing wrong)
   * @param access how generated code reaches it; null when it cannot (then it is not copied)
   * @param synced whether it goes into scribes
   */
  record Property(String name, TypeMirror valueType, Access access, boolean synced) {}
}
