package io.syncro.processor;

import com.google.auto.service.AutoService;
import io.syncro.Syncable;
import io.syncro.runtime.SyncModels;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Filer;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.Diagnostic.Kind;

/**
 * Generates, for every {@code @Syncable} type, the class that records its changes as scribes
 * and replays scribes onto it: {@code Note} gets {@code Note_SyncModel} (see
 * {@link SyncModels#generatedClassName}).
 *
 * <p>Two phases per type: {@link ModelValidator} reads the compiler's model of the type into a
 * {@link ModelSpec}, writing no code, and reports every problem on the element at fault, with a
 * tag from {@link Diagnostic}; only a type with none goes to {@link ModelGenerator}, which writes
 * its code and checks nothing. A type whose fields refer to a type that another processor has yet
 * to generate is retried in the next round.
 *
 * <p>The processor is isolating: each generated file comes from exactly one annotated type. The
 * one piece of state it keeps across types is the wire names taken in this compilation, to
 * report two classes with one wire name. Under an incremental build that recompiles only one of
 * them, it cannot see the other: the clash is then missed at compile time and refused by
 * {@code Syncro.Builder.build()} at run time. It never reports a clash that is not there (a
 * recompiled class does not clash with its own earlier version). {@code IncrementalBuildTest}
 * shows both.
 */
@AutoService(Processor.class)
public final class SyncroProcessor extends AbstractProcessor {
  private Elements elements;
  private Types types;
  private Messager messager;
  private Filer filer;
  private ModelValidator validator;

  /** Types whose fields referred to types not generated yet, by qualified name. */
  private final Set<String> deferred = new LinkedHashSet<>();

  /** The wire names taken so far in this compilation, with the type that took each. */
  private final Map<String, String> klassOwners = new HashMap<>();

  @Override
  public synchronized void init(ProcessingEnvironment environment) {
    super.init(environment);
    elements = environment.getElementUtils();
    types = environment.getTypeUtils();
    messager = environment.getMessager();
    filer = environment.getFiler();
    validator = new ModelValidator(environment);
  }

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of(Syncable.class.getCanonicalName());
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    Set<TypeElement> types = new LinkedHashSet<>();
    for (String name : deferred) {
      TypeElement type = elements.getTypeElement(name);
      if (type != null) {
        types.add(type);
      }
    }
    deferred.clear();
    for (Element element : round.getElementsAnnotatedWith(Syncable.class)) {
      // @Target(TYPE) admits only types; the kind of type is checked by the validator.
      types.add((TypeElement) element);
    }
    for (TypeElement type : types) {
      processType(type);
    }
    if (round.processingOver()) {
      reportStillDeferred();
    }
    return false;
  }

  private void processType(TypeElement type) {
    try {
      ModelValidator.Result result = validator.validate(type);
      if (result.deferred()) {
        deferred.add(type.getQualifiedName().toString());
        return;
      }
      if (result.spec() == null || !claimKlass(result.spec())) {
        return;
      }
      String generatedName =
          SyncModels.generatedClassName(elements.getBinaryName(type).toString());
      new ModelGenerator(result.spec(), generatedName, types, elements).generate().writeTo(filer);
    } catch (IOException | RuntimeException e) {
      // One broken type must not stop the others, nor crash the compiler.
      messager.printMessage(Kind.ERROR,
          Diagnostic.INTERNAL_ERROR.format(type.getQualifiedName(), e), type);
    }
  }

  private boolean claimKlass(ModelSpec spec) {
    String owner = spec.type().getQualifiedName().toString();
    String previous = klassOwners.putIfAbsent(spec.klass(), owner);
    if (previous != null && !previous.equals(owner)) {
      messager.printMessage(Kind.ERROR,
          Diagnostic.DUPLICATE_KLASS.format(owner, spec.klass(), previous), spec.type());
      return false;
    }
    return true;
  }

  private void reportStillDeferred() {
    for (String name : deferred) {
      TypeElement type = elements.getTypeElement(name);
      messager.printMessage(Kind.ERROR, Diagnostic.UNRESOLVED_TYPE.format(name), type);
    }
    deferred.clear();
  }
}
