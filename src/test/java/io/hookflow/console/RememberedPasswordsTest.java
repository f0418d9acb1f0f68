package io.hookflow.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookflow.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

class RememberedPasswordsTest {

  final CountingEncoder bcrypt = new CountingEncoder();
  final MutableClock clock = new MutableClock();

  /** The address the next password comes from. */
  String client = "203.0.113.7";

  final RememberedPasswords passwords = new RememberedPasswords(bcrypt, clock, () -> client);
  final String stored = passwords.encode("correct horse");

  @Test
  void aPasswordThatMatchedIsNotCheckedSlowlyAgainForAWhile() {
    assertThat(passwords.matches("correct horse", stored)).isTrue();
    assertThat(passwords.matches("correct horse", stored)).isTrue();
    assertThat(passwords.matches("correct horse", stored)).isTrue();

    assertThat(bcrypt.checks).isOne();
  }

  @Test
  void everyWrongPasswordCostsTheSlowCheck() {
    passwords.matches("correct horse", stored);

    assertThat(passwords.matches("correct hors", stored)).isFalse();
    assertThat(passwords.matches("correct hors", stored)).isFalse();
    assertThat(passwords.matches(null, stored)).isFalse();

    assertThat(bcrypt.checks).isEqualTo(4);
  }

  @Test
  void aRememberedPasswordIsCheckedSlowlyAgainOnceUnusedForItsTime() {
    passwords.matches("correct horse", stored);

    clock.advance(RememberedPasswords.REMEMBERED_FOR.minusSeconds(1));
    passwords.matches("correct horse", stored);
    clock.advance(RememberedPasswords.REMEMBERED_FOR.minusSeconds(1));
    passwords.matches("correct horse", stored);
    assertThat(bcrypt.checks).as("used within its time: still remembered").isOne();

    clock.advance(RememberedPasswords.REMEMBERED_FOR);
    assertThat(passwords.matches("correct horse", stored)).isTrue();
    assertThat(bcrypt.checks).isEqualTo(2);
  }

  @Test
  void whatWasRememberedForOneStoredHashDoesNotMatchAnother() {
    passwords.matches("correct horse", stored);
    String changed = passwords.encode("battery staple");

    assertThat(passwords.matches("correct horse", changed)).isFalse();
    assertThat(passwords.matches("battery staple", changed)).isTrue();
  }

  @Test
  void passwordsBeyondTheRationAreRefusedWithoutTheSlowCheck() {
    for (int i = 0; i < RememberedPasswords.CLIENT_CHECKS_AT_ONCE; i++) {
      assertThat(passwords.matches("guess " + i, stored)).isFalse();
    }

    assertThatThrownBy(() -> passwords.matches("correct horse", stored))
        .isInstanceOf(TooManySignIns.class);
    assertThat(bcrypt.checks).isEqualTo(RememberedPasswords.CLIENT_CHECKS_AT_ONCE);
  }

  @Test
  void theRationComesBackWithTime() {
    for (int i = 0; i < RememberedPasswords.CLIENT_CHECKS_AT_ONCE; i++) {
      passwords.matches("guess " + i, stored);
    }

    clock.advance(Duration.ofMillis(1000 / RememberedPasswords.CLIENT_CHECKS_PER_SECOND));
    assertThat(passwords.matches("correct horse", stored)).isTrue();
    assertThatThrownBy(() -> passwords.matches("another guess", stored))
        .isInstanceOf(TooManySignIns.class);

    clock.advance(Duration.ofMinutes(1));
    for (int i = 0; i < RememberedPasswords.CLIENT_CHECKS_AT_ONCE; i++) {
      assertThat(passwords.matches("guess " + i, stored)).isFalse();
    }
    assertThatThrownBy(() -> passwords.matches("one guess too many", stored))
        .isInstanceOf(TooManySignIns.class);
  }

  @Test
  void oneClientGuessingLeavesAnotherRoomToSignIn() {
    for (int second = 0; second < 60; second++) {
      for (int i = 0; i < 20; i++) {
        try {
          passwords.matches("guess " + second + "." + i, stored);
        } catch (TooManySignIns refused) {
          // as the guesser gets most of the time
        }
      }
      clock.advance(Duration.ofSeconds(1));
    }

    client = "198.51.100.20";
    assertThat(passwords.matches("correct horse", stored)).isTrue();
  }

  @Test
  void clientsTogetherGetNoMoreThanTheOverallRation() {
    for (int i = 0; i < RememberedPasswords.CHECKS_AT_ONCE; i++) {
      client = "192.0.2." + i;
      assertThat(passwords.matches("guess " + i, stored)).isFalse();
    }

    client = "198.51.100.20";
    assertThatThrownBy(() -> passwords.matches("correct horse", stored))
        .isInstanceOf(TooManySignIns.class);
    assertThat(bcrypt.checks).isEqualTo(RememberedPasswords.CHECKS_AT_ONCE);
  }

  @Test
  void aRememberedPasswordPassesWhileTheRationIsSpent() {
    passwords.matches("correct horse", stored);
    for (int i = 1; i < RememberedPasswords.CLIENT_CHECKS_AT_ONCE; i++) {
      passwords.matches("guess " + i, stored);
    }

    assertThat(passwords.matches("correct horse", stored)).isTrue();
    assertThat(bcrypt.checks).isEqualTo(RememberedPasswords.CLIENT_CHECKS_AT_ONCE);
  }

  /** bcrypt at its lowest cost, counting its checks. */
  static final class CountingEncoder implements PasswordEncoder {
    final PasswordEncoder bcrypt = new BCryptPasswordEncoder(4);
    int checks;

    @Override
    public String encode(CharSequence raw) {
      return bcrypt.encode(raw);
    }

    @Override
    public boolean matches(CharSequence raw, String encoded) {
      checks++;
      return bcrypt.matches(raw, encoded);
    }
  }
}
