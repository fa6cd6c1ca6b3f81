package io.syncro.runtime;

import static java.util.Objects.requireNonNull;

import io.syncro.runtime.internal.GeneratedSyncModel;
import java.lang.reflect.InvocationTargetException;

/**
 * Finds the generated {@link SyncModel} of a {@link io.syncro.Syncable} class, by the one naming
 * rule that the annotation processor also follows.
 */
public final class SyncModels {
  /** Appended to the class's name, after its enclosing classes joined by underscores. */
  public static final String GENERATED_SUFFIX = "_SyncModel";

  private static final ClassValue<SyncModel<?, ?>> MODELS =
      new ClassValue<>() {
        @Override
        protected SyncModel<?, ?> computeValue(Class<?> type) {
          return load(type);
        }
      };

  private SyncModels() {}

  /**
   * The binary name of the class generated for a synced class with the given binary name:
   * {@code com.example.Note} gives {@code com.example.Note_SyncModel}, and the nested
   * {@code com.example.Outer$Item} gives {@code com.example.Outer_Item_SyncModel}.
   */
  public static String generatedClassName(String binaryName) {
    requireNonNull(binaryName, "binaryName");
    int lastDot = binaryName.lastIndexOf('.');
    String packagePrefix = binaryName.substring(0, lastDot + 1);
    String nestedName = binaryName.substring(lastDot + 1).replace('$', '_');
    return packagePrefix + nestedName + GENERATED_SUFFIX;
  }

  /**
   * The model of a synced class, loaded once and cached.
   *
   * @throws SyncroConfigurationException when the class has no generated model: it lacks
   *     {@code @Syncable}, or the annotation processor did not run on it
   */
  public static <T> SyncModel<T, ?> of(Class<T> type) {
    requireNonNull(type, "type");
    @SuppressWarnings("unchecked") // load() checked that the model is of this very class
    SyncModel<T, ?> model = (SyncModel<T, ?>) MODELS.get(type);
    return model;
  }

  /**
   * The model of a synced class whose id has the given type (boxed for primitive ids).
   *
   * @throws SyncroConfigurationException when the class has no generated model, or its id is
   *     of another type
   */
  public static <T, ID> SyncModel<T, ID> of(Class<T> type, Class<ID> idType) {
    requireNonNull(idType, "idType");
    SyncModel<T, ?> model = of(type);
    if (!model.idType().equals(idType)) {
      throw new SyncroConfigurationException(
          type.getName() + " has an id of type " + model.idType().getName() + ", not "
              + idType.getName());
    }
    @SuppressWarnings("unchecked") // just checked
    SyncModel<T, ID> typed = (SyncModel<T, ID>) model;
    return typed;
  }

  private static SyncModel<?, ?> load(Class<?> type) {
    String name = generatedClassName(type.getName());
    Class<?> generated;
    try {
      generated = Class.forName(name, true, type.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new SyncroConfigurationException(
          "no generated model " + name + " for " + type.getName() + ": annotate the class with"
              + " @Syncable and make sure the Syncro annotation processor runs (name"
              + " io.syncro:syncro-processor in the compiler's annotationProcessorPaths)",
          e);
    }
    Object instance;
    try {
      instance = generated.getConstructor().newInstance();
    } catch (NoSuchMethodException
        | InstantiationException
        | IllegalAccessException
        | InvocationTargetException
        | LinkageError e) {
      throw new SyncroConfigurationException(
          "cannot create the generated model " + name + "; recompile " + type.getName()
              + " with the same Syncro version as the runtime",
          e);
    }
    if (!(instance instanceof SyncModel) || ((SyncModel<?, ?>) instance).type() != type) {
      throw new SyncroConfigurationException(
          name + " is not the generated model of " + type.getName()
              + "; is another class named so?");
    }
    if (instance instanceof GeneratedSyncModel<?, ?> model
        && model.writtenForContract() != GeneratedSyncModel.CONTRACT_VERSION) {
      throw new SyncroConfigurationException(name + " was generated for version "
          + model.writtenForContract() + " of the runtime's contract with generated code, and this"
          + " runtime has version " + GeneratedSyncModel.CONTRACT_VERSION + ": recompile "
          + type.getName() + " with the syncro-processor of the same Syncro version as"
          + " syncro-runtime");
    }
    return (SyncModel<?, ?>) instance;
  }
}
