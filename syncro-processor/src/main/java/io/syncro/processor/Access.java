package io.syncro.processor;

import com.palantir.javapoet.CodeBlock;

/** How generated code reads and writes one property of a synced type. */
sealed interface Access {

  /** An expression reading the property of the object in {@code objectVar}. */
  CodeBlock read(String objectVar);

  /** A statement setting it; records have no such statement (see {@link #isSettable()}). */
  CodeBlock write(String objectVar, CodeBlock value);

  /** False for record components, which only the canonical constructor sets. */
  default boolean isSettable() {
    return true;
  }

  /** A field generated code reaches directly: non-private, in the type's package. */
  record Field(String name) implements Access {
    @Override
    public CodeBlock read(String objectVar) {
      return CodeBlock.of("$N.$N", objectVar, name);
    }

    @Override
    public CodeBlock write(String objectVar, CodeBlock value) {
      return CodeBlock.of("$N.$N = $L", objectVar, name, value);
    }
  }

  /** A field reached through its JavaBean getter and setter. */
  record Bean(String getter, String setter) implements Access {
    @Override
    public CodeBlock read(String objectVar) {
      return CodeBlock.of("$N.$N()", objectVar, getter);
    }

    @Override
    public CodeBlock write(String objectVar, CodeBlock value) {
      return CodeBlock.of("$N.$N($L)", objectVar, setter, value);
    }
  }

  /** A record component, read through its accessor. */
  record Component(String accessor) implements Access {
    @Override
    public CodeBlock read(String objectVar) {
      return CodeBlock.of("$N.$N()", objectVar, accessor);
    }

    @Override
    public CodeBlock write(String objectVar, CodeBlock value) {
      throw new UnsupportedOperationException("record components are set by the constructor");
    }

    @Override
    public boolean isSettable() {
      return false;
    }
  }
}
