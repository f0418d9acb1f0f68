package io.hookflow.mail;

/** A message that was not sent; {@code permanent} when sending it again cannot help. */
public class MailFailure extends Exception {

  private final boolean permanent;

  public MailFailure(String message, boolean permanent, Throwable cause) {
    super(message, cause);
    this.permanent = permanent;
  }

  public boolean permanent() {
    return permanent;
  }
}
