package io.syncro.processor;

import io.syncro.ScribeClients;
import io.syncro.ScribeType;
import io.syncro.SyncId;
import io.syncro.SyncIgnore;
import io.syncro.Syncable;
import io.syncro.processor.ModelSpec.Property;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.Diagnostic.Kind;

/**
 * Checks one {@code @Syncable} type completely and, when nothing is wrong, describes it as a
 * {@link ModelSpec}. Every problem is reported on the element at fault; checking goes on after
 * the first, so one compilation shows them all.
 */
final class ModelValidator {
  private static final Set<String> ID_TYPES =
      Set.of("java.lang.String", "java.util.UUID", "java.lang.Integer", "java.lang.Long");

  private final Types types;
  private final Elements elements;
  private final Messager messager;

  /** The outcome of one validation: a spec, or why there is none. */
  record Result(ModelSpec spec, boolean deferred) {
    static final Result INVALID = new Result(null, false);
    static final Result DEFERRED = new Result(null, true);
  }

  ModelValidator(ProcessingEnvironment environment) {
    this.types = environment.getTypeUtils();
    this.elements = environment.getElementUtils();
    this.messager = environment.getMessager();
  }

  /** The spec of a valid type; or, after reporting every error, none; or a deferral. */
  Result validate(TypeElement type) {
    Checker checker = new Checker(type);
    return checker.run();
  }

  /** The state of one type's validation. */
  private final class Checker {
    private final TypeElement type;
    private final String typeName;
    private final PackageElement typePackage;
    private boolean failed;
    private boolean unresolved;

    Checker(TypeElement type) {
      this.type = type;
      this.typeName = type.getSimpleName().toString();
      this.typePackage = elements.getPackageOf(type);
    }

    Result run() {
      if (type.getKind() != ElementKind.CLASS && type.getKind() != ElementKind.RECORD) {
        error(type, Diagnostic.NOT_A_CLASS, kindName(type.getKind()) + " " + typeName);
        return Result.INVALID;
      }
      checkDeclaration();
      Syncable annotation = type.getAnnotation(Syncable.class);
      String klass = klass(annotation);
      Set<ScribeType> recorded = recorded(annotation);
      boolean isRecord = type.getKind() == ElementKind.RECORD;
      if (type.getSuperclass().getKind() == TypeKind.ERROR) {
        return Result.DEFERRED;
      }
      List<Property> properties = new ArrayList<>();
      List<Element> propertyElements = new ArrayList<>();
      if (isRecord) {
        collectComponents(properties, propertyElements);
      } else {
        collectFields(properties, propertyElements);
      }
      if (unresolved) {
        return Result.DEFERRED;
      }
      Property id = findId(properties, propertyElements);
      String scribeClients = findScribeClients();
      if (failed) {
        return Result.INVALID;
      }
      return new Result(
          new ModelSpec(type, klass, isRecord, List.copyOf(properties), id,
              scribeClients, recorded),
          false);
    }

    private void checkDeclaration() {
      boolean isPrivate = false;
      for (Element current = type;
          current instanceof TypeElement;
          current = current.getEnclosingElement()) {
        if (current.getModifiers().contains(Modifier.PRIVATE)) {
          error(type, Diagnostic.PRIVATE_CLASS, qualified(type));
          isPrivate = true;
          break;
        }
      }
      NestingKind nesting = type.getNestingKind();
      if (nesting == NestingKind.LOCAL
          || nesting == NestingKind.ANONYMOUS
          || (nesting == NestingKind.MEMBER
              && type.getKind() == ElementKind.CLASS
              && !type.getModifiers().contains(Modifier.STATIC))) {
        error(type, Diagnostic.INNER_CLASS, typeName);
      }
      if (type.getModifiers().contains(Modifier.ABSTRACT)) {
        error(type, Diagnostic.ABSTRACT_CLASS, typeName);
      }
      if (!type.getTypeParameters().isEmpty()) {
        error(type, Diagnostic.GENERIC_CLASS, typeName);
      }
      // A private class's implicit constructor is private too; making the class package-private
      // fixes both, so only the class is reported.
      if (type.getKind() == ElementKind.CLASS && !isPrivate && !hasUsableNoArgConstructor()) {
        error(type, Diagnostic.NO_CONSTRUCTOR, typeName);
      }
    }

    private boolean hasUsableNoArgConstructor() {
      return ElementFilter.constructorsIn(type.getEnclosedElements()).stream()
          .anyMatch(c -> c.getParameters().isEmpty() && !c.getModifiers().contains(Modifier.PRIVATE));
    }

    private String klass(Syncable annotation) {
      String klass = annotation.klass();
      if (klass.isEmpty()) {
        return typeName;
      }
      if (klass.isBlank()) {
        error(type, Diagnostic.BAD_KLASS, klass, typeName);
      }
      return klass;
    }

    private Set<ScribeType> recorded(Syncable annotation) {
      List<ScribeType> only = Arrays.asList(annotation.only());
      List<ScribeType> except = Arrays.asList(annotation.except());
      if (!only.isEmpty() && !except.isEmpty()) {
        error(type, Diagnostic.ONLY_AND_EXCEPT, typeName);
      }
      Set<ScribeType> recorded =
          only.isEmpty() ? EnumSet.allOf(ScribeType.class) : EnumSet.copyOf(only);
      except.forEach(recorded::remove);
      return recorded;
    }

    // ---- properties ----

    private void collectComponents(List<Property> properties, List<Element> propertyElements) {
      for (RecordComponentElement component : type.getRecordComponents()) {
        boolean synced = component.getAnnotation(SyncIgnore.class) == null;
        TypeMirror componentType = component.asType();
        if (synced) {
          checkValueType(component, componentType);
        }
        properties.add(
            new Property(component.getSimpleName().toString(), componentType,
                new Access.Component(component.getAccessor().getSimpleName().toString()), synced));
        propertyElements.add(component);
      }
    }

    private void collectFields(List<Property> properties, List<Element> propertyElements) {
      DeclaredType declared = (DeclaredType) type.asType();
      Map<String, VariableElement> seen = new HashMap<>();
      for (TypeElement owner : classChain()) {
        for (VariableElement field : ElementFilter.fieldsIn(owner.getEnclosedElements())) {
          Set<Modifier> modifiers = field.getModifiers();
          if (modifiers.contains(Modifier.STATIC)) {
            continue;
          }
          String name = field.getSimpleName().toString();
          boolean synced =
              !modifiers.contains(Modifier.TRANSIENT) && field.getAnnotation(SyncIgnore.class) == null;
          VariableElement hidden = seen.put(name, field);
          if (hidden != null && synced) {
            error(field, Diagnostic.HIDDEN_FIELD, label(field), qualified(hidden.getEnclosingElement()));
          }
          TypeMirror fieldType = types.asMemberOf(declared, field);
          if (!synced) {
            // Left out of sync: kept in copies where reachable, by reference, never an error.
            Access access = modifiers.contains(Modifier.FINAL) ? null : accessOf(field, fieldType, false);
            properties.add(new Property(name, fieldType, access, false));
            propertyElements.add(field);
            continue;
          }
          if (modifiers.contains(Modifier.FINAL)) {
            error(field, Diagnostic.FINAL_FIELD, label(field));
          }
          checkValueType(field, fieldType);
          Access access = accessOf(field, fieldType, true);
          properties.add(new Property(name, fieldType, access, true));
          propertyElements.add(field);
        }
      }
    }

    /** The type and its superclasses, the topmost first, java.lang.Object left out. */
    private Deque<TypeElement> classChain() {
      Deque<TypeElement> chain = new ArrayDeque<>();
      for (TypeElement current = type; current != null; ) {
        if (current.getQualifiedName().contentEquals("java.lang.Object")) {
          break;
        }
        chain.addFirst(current);
        TypeMirror superclass = current.getSuperclass();
        current = superclass.getKind() == TypeKind.DECLARED
            ? (TypeElement) ((DeclaredType) superclass).asElement()
            : null;
      }
      return chain;
    }

    /** Checks that values of a synced property's type can be synced, nested ones included. */
    private void checkValueType(Element element, TypeMirror valueType) {
      if (ValueCodec.isUnresolved(valueType)) {
        unresolved = true;
        return;
      }
      String problem = ValueCodec.problem(valueType);
      if (problem != null) {
        error(element, Diagnostic.UNSUPPORTED_TYPE, label(element), valueType + " (" + problem + ")");
        return;
      }
      TypeElement empty = NestedTypes.withoutProperties(valueType);
      if (empty != null) {
        error(element, Diagnostic.NESTED_WITHOUT_PROPERTIES, label(element), qualified(empty));
      }
    }

    /**
     * The field itself when generated code can reach it, else its getter and setter; null, after
     * reporting an error when {@code required}, when neither works.
     */
    private Access accessOf(VariableElement field, TypeMirror fieldType, boolean required) {
      Set<Modifier> modifiers = field.getModifiers();
      boolean samePackage = elements.getPackageOf(field).equals(typePackage);
      if (modifiers.contains(Modifier.PUBLIC) || (samePackage && !modifiers.contains(Modifier.PRIVATE))) {
        return new Access.Field(field.getSimpleName().toString());
      }
      String name = field.getSimpleName().toString();
      String capitalized = Character.toUpperCase(name.charAt(0)) + name.substring(1);
      boolean isBoolean = fieldType.getKind() == TypeKind.BOOLEAN
          || fieldType.toString().equals("java.lang.Boolean");
      ExecutableElement getter = findGetter("get" + capitalized, fieldType);
      if (getter == null && isBoolean) {
        getter = findGetter("is" + capitalized, fieldType);
      }
      ExecutableElement setter = findSetter("set" + capitalized, fieldType);
      if (getter != null && setter != null) {
        return new Access.Bean(getter.getSimpleName().toString(), setter.getSimpleName().toString());
      }
      if (required) {
        String missing;
        String verb;
        if (getter == null && setter == null) {
          verb = "read or written";
          missing = (isBoolean ? "is" : "get") + capitalized + "() and set" + capitalized + "(...)";
        } else if (getter == null) {
          verb = "read";
          missing = (isBoolean ? "is" : "get") + capitalized + "()";
        } else {
          verb = "written";
          missing = "set" + capitalized + "(...)";
        }
        error(field, Diagnostic.INACCESSIBLE_FIELD, label(field), verb,
            typePackage.getQualifiedName(), missing);
      }
      return null;
    }

    private ExecutableElement findGetter(String name, TypeMirror fieldType) {
      for (ExecutableElement method : methods()) {
        if (method.getSimpleName().contentEquals(name)
            && method.getParameters().isEmpty()
            && isCallable(method)
            && types.isSameType(memberType(method).getReturnType(), fieldType)) {
          return method;
        }
      }
      return null;
    }

    private ExecutableElement findSetter(String name, TypeMirror fieldType) {
      for (ExecutableElement method : methods()) {
        if (method.getSimpleName().contentEquals(name)
            && method.getParameters().size() == 1
            && isCallable(method)
            && types.isSameType(memberType(method).getParameterTypes().get(0), fieldType)) {
          return method;
        }
      }
      return null;
    }

    private List<ExecutableElement> methods() {
      return ElementFilter.methodsIn(elements.getAllMembers(type));
    }

    private ExecutableType memberType(ExecutableElement method) {
      return (ExecutableType) types.asMemberOf((DeclaredType) type.asType(), method);
    }

    /** Whether generated code, in the type's package, may call this instance method. */
    private boolean isCallable(ExecutableElement method) {
      Set<Modifier> modifiers = method.getModifiers();
      if (modifiers.contains(Modifier.STATIC) || modifiers.contains(Modifier.PRIVATE)) {
        return false;
      }
      return modifiers.contains(Modifier.PUBLIC)
          || elements.getPackageOf(method).equals(typePackage);
    }

    // ---- the id ----

    private Property findId(List<Property> properties, List<Element> propertyElements) {
      int idIndex = -1;
      for (int i = 0; i < properties.size(); i++) {
        Element element = propertyElements.get(i);
        if (element.getAnnotation(SyncId.class) == null) {
          continue;
        }
        if (idIndex >= 0) {
          error(element, Diagnostic.TWO_IDS, typeName, label(element),
              label(propertyElements.get(idIndex)));
          continue;
        }
        idIndex = i;
      }
      if (idIndex < 0) {
        for (int i = properties.size() - 1; i >= 0; i--) {
          if (properties.get(i).name().equals("id")) {
            idIndex = i;
            break;
          }
        }
      }
      if (idIndex < 0) {
        error(type, Diagnostic.NO_ID, typeName);
        return null;
      }
      Property id = properties.get(idIndex);
      Element idElement = propertyElements.get(idIndex);
      if (!id.synced()) {
        error(idElement, Diagnostic.IGNORED_ID, label(idElement));
        return null;
      }
      TypeMirror idType = idElement.asType();
      boolean supported = idType.getKind() == TypeKind.INT
          || idType.getKind() == TypeKind.LONG
          || (idType.getKind() == TypeKind.DECLARED
              && ID_TYPES.contains(types.erasure(idType).toString()));
      if (!supported && !ValueCodec.isUnresolved(idType)) {
        error(idElement, Diagnostic.BAD_ID_TYPE, label(idElement), idType);
      }
      return id;
    }

    // ---- recipients ----

    private String findScribeClients() {
      List<ExecutableElement> marked = new ArrayList<>();
      ExecutableElement named = null;
      for (ExecutableElement method : methods()) {
        if (method.getAnnotation(ScribeClients.class) != null) {
          marked.add(method);
        } else if (method.getSimpleName().contentEquals("scribeClients")
            && (named == null || method.getParameters().isEmpty())) {
          named = method;
        }
      }
      if (marked.size() > 1) {
        error(marked.get(1), Diagnostic.TWO_SCRIBE_CLIENTS, typeName,
            marked.get(0).getSimpleName() + "()", marked.get(1).getSimpleName() + "()");
        return null;
      }
      ExecutableElement method = marked.isEmpty() ? named : marked.get(0);
      if (method == null) {
        return null;
      }
      TypeMirror collectionOfStrings = types.getDeclaredType(
          elements.getTypeElement("java.util.Collection"),
          elements.getTypeElement("java.lang.String").asType());
      TypeMirror returned = memberType(method).getReturnType();
      TypeElement recipients = elements.getTypeElement("io.syncro.runtime.Recipients");
      boolean returnsRecipients =
          recipients != null && types.isAssignable(returned, recipients.asType());
      if (!method.getParameters().isEmpty()
          || !isCallable(method)
          || !(returnsRecipients || types.isAssignable(returned, collectionOfStrings))) {
        error(method, Diagnostic.BAD_SCRIBE_CLIENTS,
            qualified(method.getEnclosingElement()) + "." + method.getSimpleName() + "()");
        return null;
      }
      return method.getSimpleName().toString();
    }

    // ---- reporting ----

    private void error(Element element, Diagnostic diagnostic, Object... arguments) {
      failed = true;
      messager.printMessage(Kind.ERROR, diagnostic.format(arguments), element);
    }

    private String label(Element element) {
      return qualified(element.getEnclosingElement()) + "." + element.getSimpleName();
    }
  }

  private static String qualified(Element type) {
    StringBuilder name = new StringBuilder(type.getSimpleName());
    for (Element outer = type.getEnclosingElement();
        outer instanceof TypeElement;
        outer = outer.getEnclosingElement()) {
      name.insert(0, outer.getSimpleName() + ".");
    }
    return name.toString();
  }

  private static String kindName(ElementKind kind) {
    switch (kind) {
      case INTERFACE:
        return "the interface";
      case ENUM:
        return "the enum";
      case ANNOTATION_TYPE:
        return "the annotation type";
      default:
        return kind.name().toLowerCase(Locale.ROOT);
    }
  }
}
