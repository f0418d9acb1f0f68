package io.hookflow.okta;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LinksTest {

  @Test
  void oneHeaderPerLinkAsOktaSendsThem() {
    Map<String, String> links =
        Links.parse(
            Map.of(
                "Link",
                List.of(
                    "<https://example.okta.test/api/v1/logs?limit=20>; rel=\"self\"",
                    "<https://example.okta.test/api/v1/logs?limit=20&after=1627500044869_1>;"
                        + " rel=\"next\"")));

    assertThat(links)
        .containsEntry("self", "https://example.okta.test/api/v1/logs?limit=20")
        .containsEntry(
            "next", "https://example.okta.test/api/v1/logs?limit=20&after=1627500044869_1");
  }

  @Test
  void linksJoinedInOneLowerCaseHeaderAreFoundToo() {
    Map<String, String> links =
        Links.parse(
            Map.of(
                "link",
                List.of(
                    "<https://example.okta.test/api/v1/logs?after=a,b>; rel=self,"
                        + " <https://example.okta.test/api/v1/logs?after=c>; rel=\"next\"")));

    assertThat(links.get("next")).isEqualTo("https://example.okta.test/api/v1/logs?after=c");
  }

  @Test
  void noLinkHeaderMeansNoNext() {
    assertThat(Links.parse(Map.of("Content-Type", List.of("application/json")))).isEmpty();
  }
}
