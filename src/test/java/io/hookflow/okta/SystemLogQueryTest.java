package io.hookflow.okta;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SystemLogQueryTest {

  static final String ORG = "https://example.okta.com/api/v1/logs";

  @Test
  void theLimitOfAStoredLinkIsReplacedWhereItStands() {
    assertThat(SystemLogQuery.withLimit(ORG + "?after=1_a&limit=1000&sortOrder=ASCENDING", 200))
        .isEqualTo(ORG + "?after=1_a&limit=200&sortOrder=ASCENDING");
    assertThat(SystemLogQuery.withLimit(ORG + "?limit=1000&after=1_a", 200))
        .isEqualTo(ORG + "?limit=200&after=1_a");
    assertThat(SystemLogQuery.withLimit(ORG + "?after=1_a&limit=5", 5))
        .isEqualTo(ORG + "?after=1_a&limit=5");
  }

  @Test
  void aLinkWithoutALimitGetsOne() {
    assertThat(SystemLogQuery.withLimit(ORG + "?after=1_a", 200))
        .isEqualTo(ORG + "?after=1_a&limit=200");
    assertThat(SystemLogQuery.withLimit(ORG, 200)).isEqualTo(ORG + "?limit=200");
  }

  @Test
  void onlyTheLimitParameterIsTouched() {
    assertThat(SystemLogQuery.withLimit(ORG + "?after=x&filter=a%20eq%20%22limit=3%22", 9))
        .isEqualTo(ORG + "?after=x&filter=a%20eq%20%22limit=3%22&limit=9");
  }
}
