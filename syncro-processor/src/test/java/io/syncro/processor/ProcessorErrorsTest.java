package io.syncro.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.nio.file.Path;
import java.util.List;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every mistake the processor catches: one error, with its tag, on the element at fault, and
 * nothing generated for the faulty type.
 */
class ProcessorErrorsTest {

  static Compilation compile(JavaFileObject... sources) {
    return Compiler.javac().withProcessors(new SyncroProcessor()).compile(sources);
  }

  static JavaFileObject source(String qualifiedName, String text) {
    return JavaFileObjects.forSourceString(qualifiedName, text);
  }

  /** Compiles one file, expecting exactly one error of the diagnostic on the given line. */
  private static void assertSingleError(
      JavaFileObject file, Diagnostic diagnostic, String messagePart, String line) {
    Compilation compilation = compile(file);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining(diagnostic.tag()).inFile(file).onLineContaining(line);
    assertThat(compilation).hadErrorContaining(messagePart);
  }

  @Test
  void aNestedClassWithNothingToSyncIsAnErrorNotAnEmptyObject() {
    JavaFileObject file = source("test.Note", """
        package test;
        import java.util.List;
        @io.syncro.Syncable
        class Note {
          String id;
          List<Attachment> attachments;
          static class Attachment {
            private String name;
            private Inner inner;
            public String getName() { return name; }
            public Inner getInner() { return inner; }
          }
          static class Inner {
            private int secret;
          }
        }
        """);
    assertSingleError(file, Diagnostic.NESTED_WITHOUT_PROPERTIES,
        "Note.attachments holds values of Note.Inner, which has no non-private field",
        "List<Attachment> attachments");
  }

  @Test
  void nestedClassesWithFieldsOrGettersCompile() {
    JavaFileObject file = source("test.Note", """
        package test;
        import java.util.Map;
        @io.syncro.Syncable
        class Note {
          String id;
          Map<String, Attachment> attachments;
          Point[] points;
          Kind kind;
          static class Attachment {
            private String name;
            public String getName() { return name; }
            public void setName(String name) { this.name = name; }
          }
          static class Point {
            int x;
          }
          enum Kind { PLAIN }
        }
        """);
    assertThat(compile(file)).succeeded();
  }

  @Test
  void noId() {
    JavaFileObject file = source("test.Note", """
        package test;
        @io.syncro.Syncable
        class Note {
          String title;
        }
        """);
    assertSingleError(file, Diagnostic.NO_ID, "Note has no id: add @SyncId", "class Note");
  }

  @Test
  void anIdLeftOutOfSyncIsNoId() {
    JavaFileObject file = source("test.Note", """
        package test;
        @io.syncro.Syncable
        class Note {
          transient String id;
          String title;
        }
        """);
    assertSingleError(file, Diagnostic.IGNORED_ID, "the id Note.id", "transient String id");
  }

  @Test
  void twoIds() {
    JavaFileObject file = source("test.Note", """
        package test;
        import io.syncro.SyncId;
        @io.syncro.Syncable
        class Note {
          @SyncId String key;
          @SyncId String otherKey;
        }
        """);
    assertSingleError(file, Diagnostic.TWO_IDS, "Note has a second @SyncId, Note.otherKey",
        "String otherKey");
  }

  @Test
  void anIdOfAnUnsupportedType() {
    JavaFileObject file = source("test.Note", """
        package test;
        @io.syncro.Syncable
        class Note {
          double id;
        }
        """);
    assertSingleError(file, Diagnostic.BAD_ID_TYPE, "the id Note.id is a double", "double id");
  }

  @Test
  void aPrivateFieldWithoutAccessors() {
    JavaFileObject file = source("test.Note", """
        package test;
        @io.syncro.Syncable
        class Note {
          String id;
          private String title;
        }
        """);
    assertSingleError(file, Diagnostic.INACCESSIBLE_FIELD,
        "Note.title cannot be read or written by generated code in package test: make it"
            + " package-private, or add getTitle() and setTitle(...)",
        "private String title");
  }

  @Test
  void aPrivateFieldWithAGetterButNoSetter() {
    JavaFileObject file = source("test.Note", """
        package test;
        @io.syncro.Syncable
        class Note {
          String id;
          private boolean done;
          public boolean isDone() { return done; }
        }
        """);
    assertSingleError(file, Diagnostic.INACCESSIBLE_FIELD,
        "Note.done cannot be written by generated code in package test: make it package-private,"
            + " or add setDone(...)",
        "private boolean done");
  }

  @Test
  void aPackagePrivateFieldOfASuperclassInAnotherPackage() {
    JavaFileObject base = source("base.Base", """
        package base;
        public class Base {
          String secret;
        }
        """);
    JavaFileObject note = source("test.Note", """
        package test;
        @io.syncro.Syncable
        public class Note extends base.Base {
          String id;
        }
        """);
    Compilation compilation = compile(base, note);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining(Diagnostic.INACCESSIBLE_FIELD.tag() + " Base.secret")
        .inFile(base)
        .onLineContaining("String secret");
  }

  @Test
  void aFinalField() {
    JavaFileObject file = source("test.Note", """
        package test;
        @io.syncro.Syncable
        class Note {
          String id;
          final String kind = "note";
        }
        """);
    assertSingleError(file, Diagnostic.FINAL_FIELD, "Note.kind is final", "final String kind");
  }

  @Test
  void noUsableConstructor() {
    JavaFileObject file = source("test.Note", """
        package test;
        @io.syncro.Syncable
        class Note {
          String id;
          private Note() {}
          Note(String id) { this.id = id; }
        }
        """);
    assertSingleError(file, Diagnostic.NO_CONSTRUCTOR, "Note has no non-private no-argument",
        "class Note");
  }

  @Test
  void anAbstractClass() {
    JavaFileObject file = source("test.Note", """
        package test;
        @io.syncro.Syncable
        abstract class Note {
          String id;
        }
        """);
    assertSingleError(file, Diagnostic.ABSTRACT_CLASS, "Note is abstract", "abstract class Note");
  }

  @Test
  void anInnerClass() {
    JavaFileObject file = source("test.Outer", """
        package test;
        class Outer {
          @io.syncro.Syncable
          class Note {
            String id;
          }
        }
        """);
    assertSingleError(file, Diagnostic.INNER_CLASS, "Note is an inner class", "class Note");
  }

  @Test
  void aPrivateNestedClass() {
    JavaFileObject file = source("test.Outer", """
        package test;
        class Outer {
          @io.syncro.Syncable
          private static class Note {
            String id;
          }
        }
        """);
    assertSingleError(file, Diagnostic.PRIVATE_CLASS, "Outer.Note is private", "class Note");
  }

  @Test
  void aGenericClass() {
    JavaFileObject file = source("test.Box", """
        package test;
        @io.syncro.Syncable
        class Box<T> {
          String id;
          T content;
        }
        """);
    Compilation compilation = compile(file);
    assertThat(compilation)
        .hadErrorContaining(Diagnostic.GENERIC_CLASS.tag() + " Box has type parameters")
        .inFile(file)
        .onLineContaining("class Box");
    assertThat(compilation)
        .hadErrorContaining(Diagnostic.UNSUPPORTED_TYPE.tag() + " Box.content")
        .inFile(file)
        .onLineContaining("T content");
    assertThat(compilation).hadErrorCount(2);
  }

  @Test
  void anInterface() {
    JavaFileObject file = source("test.Note", """
        package test;
        @io.syncro.Syncable
        interface Note {
          String id();
        }
        """);
    assertSingleError(file, Diagnostic.NOT_A_CLASS, "not on the interface Note", "interface Note");
  }

  @Test
  void anEnum() {
    JavaFileObject file = source("test.Colour", """
        package test;
        @io.syncro.Syncable
        enum Colour { RED }
        """);
    assertSingleError(file, Diagnostic.NOT_A_CLASS, "not on the enum Colour", "enum Colour");
  }

  @Test
  void scribeClientsOfTheWrongType() {
    JavaFileObject file = source("test.Note", """
        package test;
        import java.util.List;
        @io.syncro.Syncable
        class Note {
          String id;
          List<Integer> scribeClients() { return List.of(); }
        }
        """);
    assertSingleError(file, Diagnostic.BAD_SCRIBE_CLIENTS, "Note.scribeClients() must be",
        "scribeClients()");
  }

  @Test
  void aStaticScribeClients() {
    JavaFileObject file = source("test.Note", """
        package test;
        import java.util.Set;
        @io.syncro.Syncable
        class Note {
          String id;
          static Set<String> scribeClients() { return Set.of(); }
        }
        """);
    assertSingleError(file, Diagnostic.BAD_SCRIBE_CLIENTS, "Note.scribeClients() must be",
        "scribeClients()");
  }

  @Test
  void aMarkedRecipientsMethodWithParameters() {
    JavaFileObject file = source("test.Note", """
        package test;
        import java.util.Set;
        @io.syncro.Syncable
        class Note {
          String id;
          @io.syncro.ScribeClients Set<String> readers(boolean all) { return Set.of(); }
        }
        """);
    assertSingleError(file, Diagnostic.BAD_SCRIBE_CLIENTS, "Note.readers() must be",
        "readers(boolean all)");
  }

  @Test
  void twoMarkedRecipientsMethods() {
    JavaFileObject file = source("test.Note", """
        package test;
        import java.util.Set;
        @io.syncro.Syncable
        class Note {
          String id;
          @io.syncro.ScribeClients Set<String> readers() { return Set.of(); }
          @io.syncro.ScribeClients Set<String> writers() { return Set.of(); }
        }
        """);
    assertSingleError(file, Diagnostic.TWO_SCRIBE_CLIENTS, "Note has two @ScribeClients methods",
        "writers()");
  }

  @Test
  void onlyAndExceptTogether() {
    JavaFileObject file = source("test.Note", """
        package test;
        import io.syncro.ScribeType;
        @io.syncro.Syncable(only = ScribeType.CREATE, except = ScribeType.DESTROY)
        class Note {
          String id;
        }
        """);
    assertSingleError(file, Diagnostic.ONLY_AND_EXCEPT, "@Syncable on Note sets both", "class Note");
  }

  @Test
  void aBlankWireName() {
    JavaFileObject file = source("test.Note", """
        package test;
        @io.syncro.Syncable(klass = " ")
        class Note {
          String id;
        }
        """);
    assertSingleError(file, Diagnostic.BAD_KLASS, "@Syncable(klass = \" \") on Note", "class Note");
  }

  @Test
  void aFieldHidingASuperclassField() {
    JavaFileObject file = source("test.Note", """
        package test;
        class Base {
          String title;
        }
        @io.syncro.Syncable
        class Note extends Base {
          String id;
          String title;
        }
        """);
    Compilation compilation = compile(file);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining(Diagnostic.HIDDEN_FIELD.tag() + " Note.title hides a field")
        .inFile(file)
        .onLine(8);
  }

  @Test
  void twoClassesWithOneWireName() {
    JavaFileObject first = source("a.Note", """
        package a;
        @io.syncro.Syncable
        public class Note {
          String id;
        }
        """);
    JavaFileObject second = source("b.Memo", """
        package b;
        @io.syncro.Syncable(klass = "Note")
        public class Memo {
          String id;
        }
        """);
    Compilation compilation = compile(first, second);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining(Diagnostic.DUPLICATE_KLASS.tag() + " b.Memo has the wire name \"Note\","
            + " as a.Note does")
        .inFile(second)
        .onLineContaining("class Memo");
  }

  @Test
  void everyProblemOfATypeIsReportedInOneCompilation() {
    JavaFileObject file = source("test.Note", """
        package test;
        @io.syncro.Syncable
        abstract class Note {
          private String title;
          final int count = 0;
          private Note() {}
        }
        """);
    Compilation compilation = compile(file);
    assertThat(compilation).hadErrorCount(5);
    assertThat(compilation).hadErrorContaining(Diagnostic.ABSTRACT_CLASS.tag());
    assertThat(compilation).hadErrorContaining(Diagnostic.NO_CONSTRUCTOR.tag());
    assertThat(compilation).hadErrorContaining(Diagnostic.INACCESSIBLE_FIELD.tag());
    assertThat(compilation).hadErrorContaining(Diagnostic.FINAL_FIELD.tag());
    assertThat(compilation).hadErrorContaining(Diagnostic.NO_ID.tag());
  }

  @Test
  void aFaultyTypeDoesNotStopTheOthers(@TempDir Path generated) throws Exception {
    JavaFileObject bad = source("test.Bad", """
        package test;
        @io.syncro.Syncable
        class Bad {
          String title;
        }
        """);
    JavaFileObject good = source("test.Good", """
        package test;
        @io.syncro.Syncable
        class Good {
          String id;
        }
        """);
    // compile-testing shows no generated file of a failed compilation; javac itself does.
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    JavaCompiler.CompilationTask task = javac.getTask(null, null, diagnostics,
        List.of("-proc:only", "-s", generated.toString(),
            "-classpath", System.getProperty("java.class.path")),
        null, List.of(bad, good));
    task.setProcessors(List.of(new SyncroProcessor()));

    org.assertj.core.api.Assertions.assertThat(task.call()).isFalse();
    org.assertj.core.api.Assertions.assertThat(diagnostics.getDiagnostics())
        .singleElement()
        .satisfies(d -> org.assertj.core.api.Assertions.assertThat(d.getMessage(null))
            .startsWith(Diagnostic.NO_ID.tag() + " Bad"));
    org.assertj.core.api.Assertions.assertThat(generated.resolve("test/Good_SyncModel.java"))
        .exists();
    org.assertj.core.api.Assertions.assertThat(generated.resolve("test/Bad_SyncModel.java"))
        .doesNotExist();
  }
}
