package io.syncro.functional.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's tour as a user pastes it: every Java block is a source file of its own, compiled
 * together with the Syncro processor (as a user's build runs it), and its programs are run. So
 * the README cannot drift from the API again: a renamed method, a missing import or a snippet
 * that no longer syncs fails here.
 */
class ReadmeTest {
  private static final Pattern JAVA_BLOCK = Pattern.compile("(?m)^( *)```java\\n(.*?)^\\1```$", Pattern.DOTALL);
  private static final Pattern XML_BLOCK = Pattern.compile("(?m)^```xml\\n(.*?)^```$", Pattern.DOTALL);
  private static final Pattern TYPE_NAME =
      Pattern.compile("(?m)^(?:public )?(?:final )?(?:class|record|interface|enum) (\\w+)");
  private static final Pattern PACKAGE = Pattern.compile("(?m)^package ([\\w.]+);");

  @TempDir static Path work;
  private static String readme;
  private static Path classes;

  @BeforeAll
  static void compileTheTour() throws IOException {
    readme = Files.readString(findReadme());
    Map<String, String> sources = javaBlocks(readme);
    assertThat(sources).as("the tour's Java files").containsKeys(
        "com/example/notes/Note.java", "com/example/notes/RecordAndReplay.java",
        "com/example/notes/SyncOverSockets.java");
    Path sourceRoot = Files.createDirectories(work.resolve("src"));
    List<Path> files = new ArrayList<>();
    for (Map.Entry<String, String> source : sources.entrySet()) {
      Path file = sourceRoot.resolve(source.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, source.getValue());
      files.add(file);
    }
    classes = Files.createDirectories(work.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter diagnostics = new StringWriter();
    String classPath = System.getProperty("java.class.path");
    try (StandardJavaFileManager fileManager = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
      Iterable<? extends JavaFileObject> units = fileManager.getJavaFileObjectsFromPaths(files);
      boolean compiled = javac.getTask(diagnostics, fileManager, null,
          List.of("--release", "17", "-classpath", classPath, "-processorpath", classPath,
              "-d", classes.toString(), "-Xlint:-options"),
          null, units).call();
      assertThat(compiled).as("the README's Java compiles:%n%s", diagnostics).isTrue();
    }
  }

  @Test
  void theProcessorGeneratesAModelForTheTourClasses() {
    assertThat(classes.resolve("com/example/notes/Note_SyncModel.class")).exists();
    assertThat(classes.resolve("com/example/notes/Point_SyncModel.class")).exists();
  }

  @Test
  void recordAndReplayEndsWithTheSameNoteOnTheOtherSide() throws Exception {
    String output = runMain("com.example.notes.RecordAndReplay");

    assertThat(output)
        .contains("{\"klass\":\"Note\",\"type\":\"create\",\"data\":{\"id\":\"n1\"")
        .contains("\"type\":\"destroy\",\"data\":[\"n2\"]")
        .contains("The other side has: Groceries for Sunday");
  }

  @Test
  void syncOverSocketsCatchesUpBothWaysAndPushesLive() throws Exception {
    String output = runMain("com.example.notes.SyncOverSockets");

    assertThat(output)
        .contains("The device has n1: true")
        .contains("The server has: Groceries for Sunday, Written offline");
  }

  @Test
  void syncOverNettyAuthenticatesAndSyncs() throws Exception {
    String output = runMain("com.example.notes.SyncOverNetty");

    assertThat(output).contains("The server has: Groceries");
  }

  @Test
  void theMavenSnippetGivesEveryVersion() {
    Matcher xml = XML_BLOCK.matcher(readme);
    assertThat(xml.find()).as("the README's pom snippet").isTrue();
    String pom = xml.group(1);
    // Without its version, Maven 3.8 runs maven-compiler-plugin 3.1, which ignores
    // annotationProcessorPaths: the build passes and nothing is generated.
    Matcher artifact = Pattern.compile("<artifactId>([\\w.-]+)</artifactId>\\s*(<version>)?").matcher(pom);
    int artifacts = 0;
    while (artifact.find()) {
      artifacts++;
      assertThat(artifact.group(2)).as("a version right after %s", artifact.group(1)).isNotNull();
    }
    assertThat(artifacts).isGreaterThanOrEqualTo(4);
    assertThat(pom).contains("<artifactId>maven-compiler-plugin</artifactId>")
        .contains("<artifactId>slf4j-simple</artifactId>");
  }

  /** Runs a program of the tour in a class loader of its own; returns what it printed. */
  private static String runMain(String className) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
        ReadmeTest.class.getClassLoader())) {
      Method main = loader.loadClass(className).getMethod("main", String[].class);
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      main.invoke(null, (Object) new String[0]);
    } finally {
      System.setOut(original);
    }
    String output = printed.toString(StandardCharsets.UTF_8);
    original.print(output);
    return output;
  }

  /** Each Java block of the README, by the path its package and type give it. */
  private static Map<String, String> javaBlocks(String markdown) {
    Map<String, String> sources = new LinkedHashMap<>();
    Matcher block = JAVA_BLOCK.matcher(markdown);
    while (block.find()) {
      String indent = block.group(1);
      String code = block.group(2).lines()
          .map(line -> line.startsWith(indent) ? line.substring(indent.length()) : line)
          .reduce("", (all, line) -> all + line + "\n");
      Matcher pkg = PACKAGE.matcher(code);
      Matcher type = TYPE_NAME.matcher(code);
      assertThat(pkg.find() && type.find())
          .as("every Java block of the README is a whole file, package and imports included:%n%s", code)
          .isTrue();
      String path = pkg.group(1).replace('.', '/') + "/" + type.group(1) + ".java";
      assertThat(sources.put(path, code)).as("two blocks define %s", path).isNull();
    }
    return sources;
  }

  private static Path findReadme() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("README.md")) && Files.exists(dir.resolve("syncro-runtime"))) {
        return dir.resolve("README.md");
      }
    }
    throw new IllegalStateException("README.md not found above " + Path.of("").toAbsolutePath());
  }
}
