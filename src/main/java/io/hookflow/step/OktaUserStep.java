package io.hookflow.step;

/**
 * Okta - Read User: loads a user, exposed to later steps under {@code name} as Okta returns it
 * ({@code {{person.profile.email}}}, {@code {{person.status}}}, …).
 *
 * @param id the user's id or login; {@code {{user.id}}} unless the flow says otherwise
 */
public record OktaUserStep(String name, Template id) implements Step {

  public static final String DEFAULT_ID = "{{user.id}}";

  @Override
  public String kind() {
    return "okta-user";
  }

  @Override
  public String definition() {
    return Step.definitionOf(kind(), name, id);
  }
}
