package io.syncro.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

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
}
