package io.syncro.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncModelsTest {

  @Test
  void namesTheGeneratedClassAfterTheSyncedOne() {
    assertThat(SyncModels.generatedClassName("com.example.Note"))
        .isEqualTo("com.example.Note_SyncModel");
    assertThat(SyncModels.generatedClassName("com.example.Outer$Item"))
        .isEqualTo("com.example.Outer_Item_SyncModel");
    assertThat(SyncModels.generatedClassName("Note")).isEqualTo("Note_SyncModel");
  }

  static class NotSynced {}

  @Test
  void saysHowToFixAMissingModel() {
    assertThatThrownBy(() -> SyncModels.of(NotSynced.class))
        .isInstanceOf(SyncroConfigurationException.class)
        .hasMessageContaining("io.syncro.runtime.SyncModelsTest_NotSynced_SyncModel")
        .hasMessageContaining("@Syncable")
        .hasMessageContaining("annotationProcessorPaths");
  }

  @Test
  void refusesAModelGeneratedForAnotherContractSayingWhatToRecompile() {
    assertThatThrownBy(() -> SyncModels.of(OldGenerated.class))
        .isInstanceOf(SyncroConfigurationException.class)
        .hasMessageContaining("OldGenerated_SyncModel was generated for version 0")
        .hasMessageContaining("recompile io.syncro.runtime.OldGenerated");
  }

  /**
   * A model compiled by an older processor against a base class that has since moved (as
   * {@code internal.GeneratedSyncModel} did in contract version 2): loading it fails with a
   * linkage error, which must become the same clear advice.
   */
  @Test
  void refusesAModelWhoseBaseClassIsGoneSayingWhatToRecompile(@TempDir Path dir) throws Exception {
    Path sources = Files.createDirectories(dir.resolve("src/legacy"));
    Files.writeString(sources.resolve("Moved.java"), "package legacy; public class Moved {}");
    Files.writeString(sources.resolve("Thing.java"), "package legacy; public class Thing {}");
    Files.writeString(sources.resolve("Thing_SyncModel.java"),
        "package legacy; public class Thing_SyncModel extends Moved {}");
    Path classes = Files.createDirectories(dir.resolve("classes"));
    int status = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
        sources.resolve("Moved.java").toString(), sources.resolve("Thing.java").toString(),
        sources.resolve("Thing_SyncModel.java").toString());
    assertThat(status).isZero();
    Files.delete(classes.resolve("legacy/Moved.class"));

    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
        SyncModelsTest.class.getClassLoader())) {
      Class<?> thing = loader.loadClass("legacy.Thing");

      assertThatThrownBy(() -> SyncModels.of(thing))
          .isInstanceOf(SyncroConfigurationException.class)
          .hasMessageContaining("cannot load the generated model legacy.Thing_SyncModel")
          .hasMessageContaining("recompile legacy.Thing with the syncro-processor");
    }
  }
}
