package io.hookflow.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Properties;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the server offers PIPELINING, a message's MAIL, RCPT and DATA go together; a refused sender
 * or recipient still stops the message, and the server never gets it.
 */
class PipeliningTest {

  ScriptedSmtpServer smtp = new ScriptedSmtpServer();
  SmtpMailer mailer;

  @AfterEach
  void stop() throws Exception {
    if (mailer != null) {
      mailer.destroy();
    }
    smtp.close();
  }

  @Test
  void aMessagesCommandsGoTogetherToAServerThatOffersPipelining() throws Exception {
    smtp.offerPipelining();
    mailer = mailer(true);

    mailer.send(toTwo("First."));
    mailer.send(toTwo("Second."));

    assertThat(smtp.messages()).hasSize(2);
    assertThat(smtp.messages().get(1)).contains("Second.");
    assertThat(smtp.commandsArrivedTogether()).containsExactly(true, true);
    assertThat(smtp.connections()).isOne();
  }

  @Test
  void overStartTlsTheCommandsGoTogetherToo(@TempDir Path dir) throws Exception {
    smtp.offerPipelining();
    smtp.offerStartTls(serverTls(dir));
    Properties tls = new Properties();
    tls.setProperty("mail.smtp.starttls.enable", "true");
    tls.setProperty("mail.smtp.starttls.required", "true");
    tls.setProperty("mail.smtp.ssl.trust", "127.0.0.1");
    mailer = mailer(true, tls);

    mailer.send(toTwo("Over TLS."));
    mailer.send(toTwo("Again."));

    // The server answers nothing before DATA: had the commands gone one by one, no reply came.
    assertThat(smtp.messages()).hasSize(2);
    assertThat(smtp.messages().get(0)).contains("Over TLS.");
    assertThat(smtp.connections()).isOne();
  }

  @Test
  void overSmtpsTheCommandsGoTogetherToo(@TempDir Path dir) throws Exception {
    smtp.offerPipelining();
    smtp.speakTlsFromTheStart(serverTls(dir));
    Properties smtps = new Properties();
    smtps.setProperty("mail.smtps.ssl.trust", "127.0.0.1");
    smtps.setProperty("mail.smtps.timeout", "1000");
    mailer = mailer(true, smtps, "smtps");

    mailer.send(toTwo("Over SMTPS."));

    assertThat(smtp.messages()).singleElement().asString().contains("Over SMTPS.");
  }

  @Test
  void theSocketsWriteAtOnceWithoutWaitingForTheLastWriteToBeAcknowledged() throws Exception {
    // Nagle's algorithm would hold a message's commands until the end of the message before was
    // acknowledged, which a server does with its reply: the round trip pipelining saves.
    try (java.net.Socket socket = new CorkableSockets().createSocket()) {
      assertThat(socket.getTcpNoDelay()).isTrue();
    }
  }

  @Test
  void withPipeliningTurnedOffTheClientWaitsForEachReply() {
    smtp.offerPipelining();
    mailer = mailer(false);

    // The server answers nothing before DATA; a client waiting for MAIL's reply times out.
    assertThatThrownBy(() -> mailer.send(toTwo("Hello.")))
        .isInstanceOfSatisfying(
            MailFailure.class, failure -> assertThat(failure.permanent()).isFalse());
    assertThat(smtp.messages()).isEmpty();
  }

  @Test
  void sendingToTheRecipientsTakenAloneNeedsEachReplyFirstSoItTurnsPipeliningOff() {
    smtp.offerPipelining();
    Properties partial = new Properties();
    partial.setProperty("mail.smtp.sendpartial", "true");
    mailer = mailer(true, partial);

    assertThatThrownBy(() -> mailer.send(toTwo("Hello."))).isInstanceOf(MailFailure.class);
    assertThat(smtp.messages()).isEmpty();
  }

  @Test
  void aRefusedRecipientStopsTheMessageThoughTheServerTookDataForTheOther() {
    smtp.offerPipelining();
    smtp.replyToRecipients(
        rcpt -> rcpt.startsWith("gone") ? "550 5.1.1 " + rcpt + ": no such user" : "250 2.1.5 OK");
    mailer = mailer(true);

    assertRefused(true, "550", "gone@example.test");
    // Cut before anything of the message (or a QUIT, which would be taken for a line of it).
    await().until(() -> smtp.aborted().size() == 1);
    assertThat(smtp.aborted()).containsExactly("");
    assertThat(smtp.messages()).isEmpty();
  }

  @Test
  void aRecipientRefusedForNowMakesTheMessageWaitForALaterAttempt() {
    smtp.offerPipelining();
    smtp.replyToRecipients(rcpt -> "451 4.3.0 try again later");
    mailer = mailer(true);

    assertRefused(false, "451");
    assertThat(smtp.messages()).isEmpty();
    assertThat(smtp.aborted()).isEmpty();
  }

  @Test
  void aRefusedSenderStopsTheMessageForNow() {
    smtp.offerPipelining();
    smtp.replyToSender("553 5.7.1 sender not allowed");
    mailer = mailer(true);

    // Not for good: the sender is refused for every message alike until the settings are fixed.
    assertRefused(false, "553");
    assertThat(smtp.messages()).isEmpty();
  }

  @Test
  void theNextMessageGoesThroughAfterARefusal() throws Exception {
    smtp.offerPipelining();
    smtp.replyToRecipients(rcpt -> "550 5.1.1 no such user");
    mailer = mailer(true);
    assertThatThrownBy(() -> mailer.send(toTwo("Refused."))).isInstanceOf(MailFailure.class);

    smtp.replyToRecipients(rcpt -> "250 2.1.5 OK");
    mailer.send(toTwo("Taken."));

    assertThat(smtp.messages()).singleElement().asString().contains("Taken.");
  }

  /** Sending fails, for good or for now, with a message that names each of {@code named}. */
  private void assertRefused(boolean permanent, String... named) {
    assertThatThrownBy(() -> mailer.send(toTwo("Hello.")))
        .isInstanceOfSatisfying(
            MailFailure.class,
            failure -> {
              assertThat(failure.permanent()).isEqualTo(permanent);
              assertThat(failure.getMessage()).contains(named);
            });
  }

  private static OutgoingMail toTwo(String body) {
    return new OutgoingMail(
        "<run.2@hookflow.test>",
        "hookflow@example.test",
        List.of("audit@example.test", "gone@example.test"),
        List.of(),
        List.of(),
        "Subject",
        body,
        false);
  }

  /** A TLS context with a key and self-signed certificate made for this test by keytool. */
  private static SSLContext serverTls(Path dir) throws Exception {
    Path store = dir.resolve("server.p12");
    char[] password = "changeit".toCharArray();
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "smtp",
                "-keyalg",
                "EC",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "SAN=ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                new String(password))
            .redirectErrorStream(true)
            .start();
    String output = new String(keytool.getInputStream().readAllBytes());
    assertThat(keytool.waitFor()).as(output).isZero();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, password);
    }
    KeyManagerFactory managers =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    managers.init(keys, password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(managers.getKeyManagers(), null, null);
    return context;
  }

  private SmtpMailer mailer(boolean pipelining) {
    return mailer(pipelining, new Properties());
  }

  private SmtpMailer mailer(boolean pipelining, Properties more) {
    return mailer(pipelining, more, "smtp");
  }

  private SmtpMailer mailer(boolean pipelining, Properties more, String protocol) {
    return TestMails.mailer(smtp.port(), 1, pipelining, more, protocol);
  }
}
