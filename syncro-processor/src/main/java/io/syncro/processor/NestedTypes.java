package io.syncro.processor;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;

/**
 * Finds nested values that would sync as {@code {}}. Values of the application's own classes
 * inside a synced field (directly, in arrays, or as type arguments of collections, maps and the
 * like) are converted by the runtime's Jackson mapper, which sees non-private fields and public
 * getters. A class with neither has nothing to write: its values would reach peers empty, a
 * silent loss, so it is reported at compile time like a top-level field that cannot be reached.
 *
 * <p>The JDK's own types, enums, records and interfaces are left to Jackson, which handles them
 * (or fails loudly at run time).
 */
final class NestedTypes {
  private static final String JSON_PROPERTY = "com.fasterxml.jackson.annotation.JsonProperty";

  private NestedTypes() {}

  /**
   * The first class inside the value type, or inside the classes it holds, that has no property
   * Jackson can see; null when there is none.
   */
  static TypeElement withoutProperties(TypeMirror valueType) {
    Deque<TypeMirror> toVisit = new ArrayDeque<>();
    Set<String> visited = new HashSet<>();
    toVisit.add(valueType);
    while (!toVisit.isEmpty()) {
      TypeMirror type = toVisit.poll();
      if (type.getKind() == TypeKind.ARRAY) {
        toVisit.add(((ArrayType) type).getComponentType());
        continue;
      }
      if (type.getKind() != TypeKind.DECLARED) {
        continue;
      }
      DeclaredType declared = (DeclaredType) type;
      toVisit.addAll(declared.getTypeArguments());
      TypeElement element = (TypeElement) declared.asElement();
      if (!visited.add(element.getQualifiedName().toString()) || !isApplicationClass(element)) {
        continue;
      }
      if (!collectProperties(element, toVisit)) {
        return element;
      }
    }
    return null;
  }

  private static boolean isApplicationClass(TypeElement element) {
    String name = element.getQualifiedName().toString();
    return element.getKind() == ElementKind.CLASS
        && !name.startsWith("java.")
        && !name.startsWith("javax.")
        && !name.startsWith("jdk.");
  }

  /**
   * Adds the types of the class's properties (its own and inherited) to {@code toVisit}.
   *
   * @return whether it has any property at all
   */
  private static boolean collectProperties(TypeElement type, Deque<TypeMirror> toVisit) {
    boolean any = false;
    for (TypeElement current = type; current != null && isApplicationClass(current);
        current = superclass(current)) {
      for (VariableElement field : ElementFilter.fieldsIn(current.getEnclosedElements())) {
        Set<Modifier> modifiers = field.getModifiers();
        if (modifiers.contains(Modifier.STATIC) || modifiers.contains(Modifier.TRANSIENT)) {
          continue;
        }
        if (!modifiers.contains(Modifier.PRIVATE) || annotated(field)) {
          any = true;
          toVisit.add(field.asType());
        }
      }
      for (ExecutableElement method : ElementFilter.methodsIn(current.getEnclosedElements())) {
        if (isGetter(method)) {
          any = true;
          toVisit.add(method.getReturnType());
        }
      }
    }
    return any;
  }

  private static boolean isGetter(ExecutableElement method) {
    Set<Modifier> modifiers = method.getModifiers();
    if (modifiers.contains(Modifier.STATIC) || !method.getParameters().isEmpty()
        || method.getReturnType().getKind() == TypeKind.VOID) {
      return false;
    }
    if (annotated(method)) {
      return true;
    }
    String name = method.getSimpleName().toString();
    boolean named = (name.startsWith("get") && name.length() > 3 && !name.equals("getClass"))
        || (name.startsWith("is") && name.length() > 2
            && method.getReturnType().getKind() == TypeKind.BOOLEAN);
    return named && modifiers.contains(Modifier.PUBLIC);
  }

  private static boolean annotated(Element element) {
    return element.getAnnotationMirrors().stream().anyMatch(annotation ->
        ((TypeElement) annotation.getAnnotationType().asElement())
            .getQualifiedName().contentEquals(JSON_PROPERTY));
  }

  private static TypeElement superclass(TypeElement type) {
    TypeMirror superclass = type.getSuperclass();
    return superclass.getKind() == TypeKind.DECLARED
        ? (TypeElement) ((DeclaredType) superclass).asElement()
        : null;
  }
}
