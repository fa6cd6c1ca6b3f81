package io.syncro.processor;

import java.util.Locale;

/**
 * Every error the processor reports, each with a short tag to search for and, where there is
 * one, the fix. Tests refer to these rather than copying their text.
 */
public enum Diagnostic {
  NOT_A_CLASS("SyncroNotAClass", "@Syncable goes on a class or a record, not on %s"),
  ABSTRACT_CLASS("SyncroAbstractClass",
      "%s is abstract: replay must be able to create it; put @Syncable on a concrete subclass"),
  INNER_CLASS("SyncroInnerClass",
      "%s is an inner class: replay cannot create it without an outer instance; make it static"),
  PRIVATE_CLASS("SyncroPrivateClass",
      "%s is private: generated code in its package cannot reach it; make it package-private"),
  GENERIC_CLASS("SyncroGenericClass",
      "%s has type parameters: replay cannot know which to create; sync a class that binds them"),
  NO_CONSTRUCTOR("SyncroNoConstructor",
      "%s has no non-private no-argument constructor: replay must create it; add one"),
  NO_ID("SyncroNoId", "%s has no id: add @SyncId to one field, or name a field \"id\""),
  TWO_IDS("SyncroTwoIds",
      "%s has a second @SyncId, %s (the first is %s): keep @SyncId on exactly one field"),
  IGNORED_ID("SyncroIgnoredId",
      "the id %s is transient or @SyncIgnore: the id is always synced; remove one annotation"),
  BAD_ID_TYPE("SyncroBadIdType",
      "the id %s is a %s: use String, UUID, int, long, Integer or Long"),
  FINAL_FIELD("SyncroFinalField",
      "%s is final: replay must be able to set it; remove final, or mark it transient or"
          + " @SyncIgnore to leave it out of sync"),
  INACCESSIBLE_FIELD("SyncroInaccessibleField",
      "%s cannot be %s by generated code in package %s: make it package-private, or add %s"),
  HIDDEN_FIELD("SyncroHiddenField",
      "%s hides a field of the same name in %s: rename one, or mark one @SyncIgnore"),
  UNSUPPORTED_TYPE("SyncroUnsupportedType",
      "%s has the type %s, which cannot be synced: use a concrete type"),
  NESTED_WITHOUT_PROPERTIES("SyncroNestedWithoutProperties",
      "%s holds values of %s, which has no non-private field and no public getter: its values"
          + " would reach peers as {}; make its fields package-private, or add public getters and"
          + " setters"),
  UNRESOLVED_TYPE("SyncroUnresolvedType",
      "%s refers to a type that was not found, even after every round of processing"),
  BAD_SCRIBE_CLIENTS("SyncroBadScribeClients",
      "%s must be a non-static, non-private method with no parameters returning a"
          + " Collection<String> of client uids, or a Recipients"),
  TWO_SCRIBE_CLIENTS("SyncroTwoScribeClients",
      "%s has two @ScribeClients methods, %s and %s: keep one"),
  ONLY_AND_EXCEPT("SyncroOnlyAndExcept",
      "@Syncable on %s sets both only and except: set one of them"),
  BAD_KLASS("SyncroBadKlass", "@Syncable(klass = \"%s\") on %s: the wire name cannot be blank"),
  DUPLICATE_KLASS("SyncroDuplicateKlass",
      "%s has the wire name \"%s\", as %s does: give one of them another @Syncable(klass = ...)"),
  INTERNAL_ERROR("SyncroInternalError",
      "the Syncro processor failed on %s: %s; please report this with the class");

  private final String tag;
  private final String template;

  Diagnostic(String tag, String template) {
    this.tag = tag;
    this.template = template;
  }

  /** The tag that starts every message of this kind, as in {@code [SyncroNoId]}. */
  public String tag() {
    return "[" + tag + "]";
  }

  /** The full message: the tag, then the template filled with the arguments. */
  public String format(Object... arguments) {
    return tag() + " " + String.format(Locale.ROOT, template, arguments);
  }
}
