package io.hookflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SecretsTest {

  @Test
  void aChosenSecretNeedsSixteenCharacters() {
    assertThat(Secrets.requireLongEnough("sixteen-chars-12", "s")).isEqualTo("sixteen-chars-12");
    assertThatThrownBy(() -> Secrets.requireLongEnough("fifteen-chars-1", "s"))
        .isInstanceOf(WeakSecretException.class)
        .hasMessage("s has 15 characters; hookflow needs at least 16");
  }

  @Test
  void charactersAreCountedAsPeopleSeeThemNotAsJavaStoresThem() {
    // Eight emoji: sixteen UTF-16 chars, eight characters.
    String emoji = "\uD83D\uDD11".repeat(8);

    assertThatThrownBy(() -> Secrets.requireLongEnough(emoji, "s"))
        .hasMessage("s has 8 characters; hookflow needs at least 16");
  }

  @Test
  void theValueNeverAppearsInTheError() {
    assertThatThrownBy(() -> Secrets.requireLongEnough("hunter2", "hookflow.console.password"))
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void generatedSecretsAreLongEnough() {
    assertThat(Secrets.requireLongEnough(Secrets.random(18), "s")).hasSize(24);
  }
}
