package io.hookflow.step;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookflow.Fixtures;
import io.hookflow.event.OktaEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** A {@code get} step reads a dot path of the event as a template reads it. */
class GetStepHandlerTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "target.1.alternateId|Salesforce.com",
        "target.01.alternateId|Salesforce.com",
        "client.geographicalContext.city|Porto",
        // Only ASCII digits index an array, as in templates: these are names an array lacks.
        "target.\u0661.alternateId|",
        "target.\uff11.alternateId|",
        "target.-1.alternateId|",
        "target.1234567890.alternateId|",
        "target.one.alternateId|",
        "no.where|",
      })
  void readsAPathAsATemplateReadsIt(String path, String expected) {
    ObjectNode event = Fixtures.salesforceUnassignment();

    JsonNode value = GetStepHandler.at(event, path);
    String rendered =
        Templates.compile("{{event." + path + "}}", false)
            .render(new Variables(Fixtures.JSON).of(OktaEvent.of(event, "test event")));

    assertThat(value == null ? null : value.asString()).isEqualTo(expected);
    assertThat(rendered).isEqualTo(expected == null ? "" : expected);
  }
}
