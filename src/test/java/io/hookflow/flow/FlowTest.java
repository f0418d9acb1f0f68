package io.hookflow.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookflow.step.ComposeStep;
import io.hookflow.step.EmailStep;
import io.hookflow.step.GetStep;
import io.hookflow.step.Step;
import io.hookflow.step.Templates;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The keys by which a run's later attempts know the messages its earlier ones sent. */
class FlowTest {

  @Test
  void aStepKeepsItsKeyWhereverItMoves() {
    Step alice = email("alice@example.test", "Hello");
    Step bob = email("bob@example.test", "Hello");

    Flow before = flow(alice, bob);
    Flow after = flow(bob, compose(), alice);

    assertThat(after.stepKeys().get(2)).isEqualTo(before.stepKeys().get(0));
    assertThat(after.stepKeys().get(0)).isEqualTo(before.stepKeys().get(1));
    assertThat(after.stepKeys().get(1)).isNull();
    assertThat(before.stepKeys().get(0)).hasSize(64).isNotEqualTo(before.stepKeys().get(1));
  }

  @Test
  void aChangedStepIsAnotherAndTwoAlikeAreTwo() {
    Flow flow =
        flow(
            email("alice@example.test", "Hello"),
            email("alice@example.test", "Hello"),
            email("alice@example.test", "Hello!"));

    assertThat(flow.stepKeys()).doesNotHaveDuplicates();
  }

  @Test
  void partsCannotRunIntoEachOther() {
    assertThat(Step.definitionOf(List.of("a, b")))
        .isNotEqualTo(Step.definitionOf(List.of("a", "b")));
    assertThat(Step.definitionOf("ab", "c")).isNotEqualTo(Step.definitionOf("a", "bc"));
  }

  @Test
  void theOrderOfFieldsDoesNotMatter() {
    Map<String, String> one = new LinkedHashMap<>();
    one.put("a", "target.0.id");
    one.put("b", "actor.id");
    Map<String, String> other = new LinkedHashMap<>();
    other.put("b", "actor.id");
    other.put("a", "target.0.id");

    assertThat(new GetStep(one).definition()).isEqualTo(new GetStep(other).definition());
  }

  private static Flow flow(Step... steps) {
    return new Flow("f", Path.of("f.yaml"), Trigger.of("e", List.of()), List.of(steps));
  }

  private static Step email(String to, String subject) {
    return new EmailStep(
        List.of(Templates.compile(to, false)),
        List.of(),
        List.of(),
        Templates.compile(subject, false),
        Templates.compile("{{user.displayName}}", false),
        false);
  }

  private static Step compose() {
    return new ComposeStep("m", Templates.compile("x", false));
  }
}
