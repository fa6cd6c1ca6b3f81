package io.syncro.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.syncro.runtime.Syncro;
import io.syncro.runtime.SyncroConfigurationException;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one piece of state the processor keeps across types, the wire names taken in this
 * compilation, under an incremental build that recompiles only some files: it can miss a clash
 * with a class it does not see (the node's builder then refuses it), and it never reports one
 * that is not there.
 */
class IncrementalBuildTest {
  @TempDir
  Path dir;

  private DiagnosticCollector<JavaFileObject> compile(Path classes, String classpath, String name,
      String source) throws Exception {
    Path file = dir.resolve("src-" + name.replace('.', '-')).resolve(name.replace('.', '/') + ".java");
    Files.createDirectories(file.getParent());
    Files.writeString(file, source);
    Files.createDirectories(classes);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    var files = javac.getStandardFileManager(diagnostics, null, null).getJavaFileObjects(file);
    JavaCompiler.CompilationTask task = javac.getTask(null, null, diagnostics,
        List.of("-d", classes.toString(), "-classpath", classpath), null, files);
    task.setProcessors(List.of(new SyncroProcessor()));
    assertThat(task.call()).as(diagnostics.getDiagnostics().toString()).isTrue();
    return diagnostics;
  }

  @Test
  void aClashWithAClassCompiledEarlierIsLeftToTheNodesBuilderNeverAFalseError() throws Exception {
    String classpath = System.getProperty("java.class.path");
    Path first = dir.resolve("first");
    Path second = dir.resolve("second");
    compile(first, classpath, "a.Note", """
        package a;
        @io.syncro.Syncable
        public class Note {
          public String id;
        }
        """);
    // The next build recompiles only Memo, with Note's classes from the earlier one.
    DiagnosticCollector<JavaFileObject> diagnostics = compile(second,
        classpath + File.pathSeparator + first, "b.Memo", """
        package b;
        @io.syncro.Syncable(klass = "Note")
        public class Memo {
          public String id;
        }
        """);
    assertThat(diagnostics.getDiagnostics()).isEmpty();
    // Recompiling Note alone, with its own generated model on the classpath, is no clash either.
    compile(dir.resolve("again"), classpath + File.pathSeparator + first, "a.Note", """
        package a;
        @io.syncro.Syncable
        public class Note {
          public String id;
          public String title;
        }
        """);

    try (URLClassLoader loader = new URLClassLoader(
        new URL[] {first.toUri().toURL(), second.toUri().toURL()}, getClass().getClassLoader())) {
      Syncro.Builder builder = Syncro.builder()
          .model(loader.loadClass("a.Note"))
          .model(loader.loadClass("b.Memo"));

      assertThatThrownBy(builder::build)
          .isInstanceOf(SyncroConfigurationException.class)
          .hasMessageContaining("have the same wire name Note");
    }
  }
}
