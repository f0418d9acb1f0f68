package io.hookflow.step;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookflow.Fixtures;
import io.hookflow.event.OktaEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.node.ObjectNode;

/**
 * Templates read the event's JSON tree as they would read it turned into maps and lists, and a
 * value the event lacks renders as empty text.
 */
class TemplatesTest {

  static final ObjectNode EVENT = Fixtures.salesforceUnassignment();
  static final Variables VARIABLES = new Variables(Fixtures.JSON);

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{{user.displayName}} ({{user.alternateId}}) left {{application.alternateId}}"
            + "| Morgan Blake (morgan.blake@example.test) left Salesforce.com",
        "{{actor.displayName}} at {{event.published}}|Riley Admin at 2026-10-14T13:37:21.804Z",
        "{{event.client.geographicalContext.city}}, {{event.outcome.result}}|Porto, SUCCESS",
        "{{event.authenticationContext.authenticationStep}}|0",
        "[{{event.client.geographicalContext.state}}][{{event.nothing}}][{{user.no.where}}]|[][][]",
        "{{event.target.1.alternateId}}|Salesforce.com",
        "{{#event.target}}{{type}}:{{alternateId}};{{/event.target}}"
            + "|AppUser:morgan.blake@example.test;AppInstance:Salesforce.com;"
            + "User:morgan.blake@example.test;",
        "{{#user}}{{displayName}}{{/user}}{{^appUser}}none{{/appUser}}|Morgan Blake",
        "{{#event.transaction.detail}}detail{{/event.transaction.detail}}|detail",
        "{{^event.outcome.reason}}no reason{{/event.outcome.reason}}|no reason",
      })
  void readTheEventAsTheyWouldReadItsMaps(String source, String expected) {
    String fromTree = Templates.compile(source, false).render(VARIABLES.of(event()));

    assertThat(fromTree).isEqualTo(expected.strip());
    assertThat(fromTree).isEqualTo(Templates.compile(source, false).render(asMaps()));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "<b>{{user.displayName}}</b>|<b>Eve &lt;script&gt; &amp; Co</b>",
        "{{#event.target}}<i>{{displayName}}</i>{{/event.target}}"
            + "|<i>Eve &lt;script&gt; &amp; Co</i><i>Salesforce.com</i><i>Eve &lt;script&gt; &amp; Co</i>",
      })
  void htmlEscapesWhatComesFromTheTree(String source, String expected) {
    ObjectNode event = Fixtures.withUserName(EVENT.deepCopy(), "Eve <script> & Co");

    String rendered =
        Templates.compile(source, true).render(VARIABLES.of(OktaEvent.of(event, "test event")));

    assertThat(rendered).isEqualTo(expected);
  }

  private static OktaEvent event() {
    return OktaEvent.of(EVENT, "test event");
  }

  /** The variables as they were before templates read the tree: maps, lists and scalars. */
  private static Map<String, Object> asMaps() {
    Map<String, Object> maps = new LinkedHashMap<>();
    VARIABLES
        .of(event())
        .forEach(
            (name, value) ->
                maps.put(
                    name,
                    value instanceof tools.jackson.databind.JsonNode node
                        ? VARIABLES.plain(node)
                        : value));
    return maps;
  }
}
