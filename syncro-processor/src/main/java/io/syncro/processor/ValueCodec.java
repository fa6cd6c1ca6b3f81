package io.syncro.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import io.syncro.runtime.generated.ScribeFields;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * How generated code reads, writes, compares and copies a value of one field type. Scalars
 * (primitives, boxes, strings, numbers, enums, UUIDs, {@code java.time}) get direct code; every
 * other type goes through Jackson with a reader of its declared type captured once per field.
 */
final class ValueCodec {
  private static final ClassName FIELDS = ClassName.get(ScribeFields.class);
  private static final ClassName ARRAYS = ClassName.get(Arrays.class);

  /** Types written by their text form and read back by a static factory of their own. */
  private static final Map<String, String> TEXT_PARSERS =
      Map.ofEntries(
          Map.entry("java.util.UUID", "fromString"),
          Map.entry("java.time.Instant", "parse"),
          Map.entry("java.time.LocalDate", "parse"),
          Map.entry("java.time.LocalTime", "parse"),
          Map.entry("java.time.LocalDateTime", "parse"),
          Map.entry("java.time.OffsetDateTime", "parse"),
          Map.entry("java.time.OffsetTime", "parse"),
          Map.entry("java.time.ZonedDateTime", "parse"),
          Map.entry("java.time.Duration", "parse"),
          Map.entry("java.time.Period", "parse"),
          Map.entry("java.time.Year", "parse"),
          Map.entry("java.time.YearMonth", "parse"),
          Map.entry("java.time.MonthDay", "parse"),
          Map.entry("java.time.ZoneId", "of"),
          Map.entry("java.time.ZoneOffset", "of"));

  /** Reference types read by a reader of their own in {@link ScribeFields}, with how to write. */
  private static final Map<String, Scalar> REFERENCE_SCALARS =
      Map.ofEntries(
          Map.entry("java.lang.String", new Scalar("readString", Writer.PUT)),
          Map.entry("java.lang.Boolean", new Scalar("readBooleanBox", Writer.PUT)),
          Map.entry("java.lang.Byte", new Scalar("readByteBox", Writer.PUT_BYTE)),
          Map.entry("java.lang.Short", new Scalar("readShortBox", Writer.PUT)),
          Map.entry("java.lang.Integer", new Scalar("readIntBox", Writer.PUT)),
          Map.entry("java.lang.Long", new Scalar("readLongBox", Writer.PUT)),
          Map.entry("java.lang.Float", new Scalar("readFloatBox", Writer.PUT)),
          Map.entry("java.lang.Double", new Scalar("readDoubleBox", Writer.PUT)),
          Map.entry("java.lang.Character", new Scalar("readCharBox", Writer.PUT_TEXT)),
          Map.entry("java.math.BigDecimal", new Scalar("readBigDecimal", Writer.PUT)),
          Map.entry("java.math.BigInteger", new Scalar("readBigInteger", Writer.PUT)));

  private enum Writer {
    /** One of {@code ObjectNode.put}'s overloads. */
    PUT,
    PUT_BYTE,
    PUT_TEXT,
    PUT_ENUM,
    PUT_VALUE
  }

  private record Scalar(String reader, Writer writer) {}

  private enum Kind {
    /** A primitive compared with {@code ==}. */
    PRIMITIVE,
    /** A {@code float} or {@code double}, compared so that NaN equals itself. */
    FLOATING,
    /** An immutable reference type read by a dedicated reader. */
    SCALAR,
    /** An immutable reference type read from text by its own factory method. */
    TEXT,
    ENUM,
    /** Anything else: converted by Jackson through a captured reader. */
    TREE
  }

  private final Kind kind;
  private final TypeName typeName;
  private final String reader;
  private final Writer writer;
  private final CodeBlock parser;
  private final Equality equality;

  /** How a TREE value is compared with its previous value. */
  private enum Equality {
    EQUALS,
    ARRAYS_EQUALS,
    ARRAYS_DEEP_EQUALS,
    SAME_JSON
  }

  private ValueCodec(
      Kind kind,
      TypeName typeName,
      String reader,
      Writer writer,
      CodeBlock parser,
      Equality equality) {
    this.kind = kind;
    this.typeName = typeName;
    this.reader = reader;
    this.writer = writer;
    this.parser = parser;
    this.equality = equality;
  }

  /** The codec of a field type, which {@link #problem} found nothing wrong with. */
  static ValueCodec of(TypeMirror type, Types types, Elements elements) {
    TypeName typeName = TypeName.get(type);
    if (type.getKind().isPrimitive()) {
      return primitive(type.getKind(), typeName);
    }
    if (type.getKind() == TypeKind.DECLARED) {
      TypeElement element = (TypeElement) ((DeclaredType) type).asElement();
      String name = element.getQualifiedName().toString();
      Scalar scalar = REFERENCE_SCALARS.get(name);
      if (scalar != null) {
        return new ValueCodec(Kind.SCALAR, typeName, scalar.reader(), scalar.writer(), null,
            Equality.EQUALS);
      }
      String factory = TEXT_PARSERS.get(name);
      if (factory != null) {
        // Instants, the most common time field, have a faster parser of their own.
        CodeBlock parser = name.equals("java.time.Instant")
            ? CodeBlock.of("$T::parseInstant", FIELDS)
            : CodeBlock.of("$T::$N", types.erasure(type), factory);
        return new ValueCodec(Kind.TEXT, typeName, "readText", Writer.PUT_TEXT, parser,
            Equality.EQUALS);
      }
      if (element.getKind() == ElementKind.ENUM) {
        return new ValueCodec(Kind.ENUM, typeName, "readText", Writer.PUT_ENUM,
            CodeBlock.of("$T::valueOf", types.erasure(type)), Equality.EQUALS);
      }
    }
    return new ValueCodec(Kind.TREE, typeName, "readValue", Writer.PUT_VALUE, null,
        treeEquality(type, types, elements));
  }

  private static ValueCodec primitive(TypeKind kind, TypeName typeName) {
    switch (kind) {
      case BOOLEAN:
        return primitive(Kind.PRIMITIVE, typeName, "readBoolean", Writer.PUT);
      case BYTE:
        return primitive(Kind.PRIMITIVE, typeName, "readByte", Writer.PUT_BYTE);
      case SHORT:
        return primitive(Kind.PRIMITIVE, typeName, "readShort", Writer.PUT);
      case INT:
        return primitive(Kind.PRIMITIVE, typeName, "readInt", Writer.PUT);
      case LONG:
        return primitive(Kind.PRIMITIVE, typeName, "readLong", Writer.PUT);
      case CHAR:
        return primitive(Kind.PRIMITIVE, typeName, "readChar", Writer.PUT_TEXT);
      case FLOAT:
        return primitive(Kind.FLOATING, typeName, "readFloat", Writer.PUT);
      case DOUBLE:
        return primitive(Kind.FLOATING, typeName, "readDouble", Writer.PUT);
      default:
        throw new IllegalArgumentException("not a primitive: " + kind);
    }
  }

  private static ValueCodec primitive(Kind kind, TypeName typeName, String reader, Writer writer) {
    return new ValueCodec(kind, typeName, reader, writer, null, Equality.EQUALS);
  }

  /**
   * What makes a field type impossible to sync, or null when it can be. Types still being
   * generated by another processor are {@link #isUnresolved unresolved}, not a problem.
   */
  static String problem(TypeMirror type) {
    switch (type.getKind()) {
      case TYPEVAR:
        return "a type variable";
      case WILDCARD:
      case INTERSECTION:
      case UNION:
      case NONE:
      case NULL:
      case VOID:
      case EXECUTABLE:
      case PACKAGE:
      case MODULE:
      case OTHER:
        return "not a value type";
      case ARRAY:
        return problem(((ArrayType) type).getComponentType());
      case DECLARED:
        for (TypeMirror argument : ((DeclaredType) type).getTypeArguments()) {
          if (argument.getKind() == TypeKind.WILDCARD) {
            continue;
          }
          String problem = problem(argument);
          if (problem != null) {
            return problem;
          }
        }
        return null;
      default:
        return null;
    }
  }

  /** Whether the type, or a type inside it, is not known yet (an error type). */
  static boolean isUnresolved(TypeMirror type) {
    switch (type.getKind()) {
      case ERROR:
        return true;
      case ARRAY:
        return isUnresolved(((ArrayType) type).getComponentType());
      case DECLARED:
        return ((DeclaredType) type).getTypeArguments().stream().anyMatch(ValueCodec::isUnresolved);
      default:
        return false;
    }
  }

  // ---- the code ----

  /** Whether generated code needs an {@code ObjectReader} of this type (see {@link #decode}). */
  boolean needsReader() {
    return kind == Kind.TREE;
  }

  TypeName typeName() {
    return typeName;
  }

  /** An expression reading the value from a JSON node; {@code label} names it in errors. */
  CodeBlock decode(String jsonVar, String label, String readerField) {
    switch (kind) {
      case TEXT:
      case ENUM:
        return CodeBlock.of("$T.$N($N, $S, $L)", FIELDS, reader, jsonVar, label, parser);
      case TREE:
        return CodeBlock.of("$T.$N($N, $S, $N)", FIELDS, reader, jsonVar, label, readerField);
      default:
        return CodeBlock.of("$T.$N($N, $S)", FIELDS, reader, jsonVar, label);
    }
  }

  /** A statement writing the value under {@code key} into an {@code ObjectNode}. */
  CodeBlock encode(String nodeVar, String key, CodeBlock value) {
    switch (writer) {
      case PUT:
        return CodeBlock.of("$N.put($S, $L)", nodeVar, key, value);
      case PUT_BYTE:
        return CodeBlock.of("$T.putByte($N, $S, $L)", FIELDS, nodeVar, key, value);
      case PUT_TEXT:
        return CodeBlock.of("$T.putText($N, $S, $L)", FIELDS, nodeVar, key, value);
      case PUT_ENUM:
        return CodeBlock.of("$T.putEnum($N, $S, $L)", FIELDS, nodeVar, key, value);
      case PUT_VALUE:
        return CodeBlock.of("$T.putValue($N, $S, $L)", FIELDS, nodeVar, key, value);
      default:
        throw new AssertionError(writer);
    }
  }

  /** An expression that is true when the two values are the same, field-type by field-type. */
  CodeBlock same(CodeBlock a, CodeBlock b) {
    if (kind == Kind.PRIMITIVE) {
      return CodeBlock.of("$L == $L", a, b);
    }
    switch (equality) {
      case ARRAYS_EQUALS:
        return CodeBlock.of("$T.equals($L, $L)", ARRAYS, a, b);
      case ARRAYS_DEEP_EQUALS:
        return CodeBlock.of("$T.deepEquals($L, $L)", ARRAYS, a, b);
      case SAME_JSON:
        return CodeBlock.of("$T.sameJson($L, $L)", FIELDS, a, b);
      default:
        return CodeBlock.of("$T.same($L, $L)", FIELDS, a, b);
    }
  }

  /** An expression copying the value deeply (immutable values are shared). */
  CodeBlock copy(CodeBlock value, String readerField) {
    if (kind == Kind.TREE) {
      return CodeBlock.of("$T.copy($L, $N)", FIELDS, value, readerField);
    }
    return value;
  }

  // ---- equality of values Jackson converts ----

  private static Equality treeEquality(TypeMirror type, Types types, Elements elements) {
    if (type.getKind() == TypeKind.ARRAY) {
      TypeMirror component = ((ArrayType) type).getComponentType();
      if (component.getKind().isPrimitive()) {
        return Equality.ARRAYS_EQUALS;
      }
      return new EqualityCheck(types, elements).hasValueEquality(component)
          ? Equality.ARRAYS_DEEP_EQUALS
          : Equality.SAME_JSON;
    }
    return new EqualityCheck(types, elements).hasValueEquality(type)
        ? Equality.EQUALS
        : Equality.SAME_JSON;
  }

  /**
   * Decides whether {@code Objects.equals} compares two values of a type by value: scalars,
   * enums, records and collections of such, and classes that override {@code equals}. Anything
   * else is compared by its JSON form, so that a nested class keeping {@code Object.equals} is
   * not reported changed on every save.
   */
  private static final class EqualityCheck {
    private final Types types;
    private final Elements elements;
    private final Set<Element> visiting = new HashSet<>();

    EqualityCheck(Types types, Elements elements) {
      this.types = types;
      this.elements = elements;
    }

    boolean hasValueEquality(TypeMirror type) {
      if (type.getKind().isPrimitive()) {
        return true;
      }
      if (type.getKind() != TypeKind.DECLARED) {
        // Arrays inside collections compare by identity; anything stranger by JSON.
        return false;
      }
      DeclaredType declared = (DeclaredType) type;
      TypeElement element = (TypeElement) declared.asElement();
      String name = element.getQualifiedName().toString();
      if (REFERENCE_SCALARS.containsKey(name)
          || TEXT_PARSERS.containsKey(name)
          || element.getKind() == ElementKind.ENUM) {
        return true;
      }
      if (isContainer(type)) {
        List<? extends TypeMirror> arguments = declared.getTypeArguments();
        return !arguments.isEmpty() && arguments.stream().allMatch(this::hasValueEquality);
      }
      if (!visiting.add(element)) {
        return true; // a recursive type: decided by its other members
      }
      try {
        if (element.getKind() == ElementKind.RECORD) {
          return element.getRecordComponents().stream()
              .allMatch(component -> hasValueEquality(component.asType()));
        }
        return overridesEquals(element);
      } finally {
        visiting.remove(element);
      }
    }

    private boolean isContainer(TypeMirror type) {
      TypeMirror erasure = types.erasure(type);
      for (String container : List.of("java.util.Collection", "java.util.Map", "java.util.Optional")) {
        TypeElement containerElement = elements.getTypeElement(container);
        if (containerElement != null
            && types.isAssignable(erasure, types.erasure(containerElement.asType()))) {
          return true;
        }
      }
      return false;
    }

    private boolean overridesEquals(TypeElement element) {
      for (TypeElement current = element;
          current != null && !current.getQualifiedName().contentEquals("java.lang.Object");
          current = superclass(current)) {
        for (ExecutableElement method : ElementFilter.methodsIn(current.getEnclosedElements())) {
          if (method.getSimpleName().contentEquals("equals")
              && method.getParameters().size() == 1
              && !method.getModifiers().contains(Modifier.STATIC)
              && method.getParameters().get(0).asType().toString().equals("java.lang.Object")) {
            return true;
          }
        }
      }
      return false;
    }

    private TypeElement superclass(TypeElement element) {
      TypeMirror superclass = element.getSuperclass();
      return superclass.getKind() == TypeKind.DECLARED
          ? (TypeElement) ((DeclaredType) superclass).asElement()
          : null;
    }
  }
}
