package io.hookflow.mail;

import io.hookflow.HookflowProperties;
import io.hookflow.Hosts;
import java.time.Clock;
import java.util.Locale;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import tools.jackson.databind.json.JsonMapper;

/** SMTP when {@code spring.mail.host} is set, the outbox folder otherwise. */
@Configuration(proxyBeanMethods = false)
class MailConfiguration {

  private static final String STREAM_PROVIDER = "jakarta.mail.util.StreamProvider";

  private static final Logger log = LoggerFactory.getLogger(MailConfiguration.class);

  static {
    // Jakarta Mail looks its StreamProvider up on every message written; without this property
    // that is a ServiceLoader scan of the class path each time, the largest cost of a send.
    if (System.getProperty(STREAM_PROVIDER) == null) {
      System.setProperty(STREAM_PROVIDER, "org.eclipse.angus.mail.util.MailStreamProvider");
    }
  }

  @Bean
  Mailer mailer(
      ObjectProvider<JavaMailSenderImpl> smtp,
      HookflowProperties properties,
      JsonMapper json,
      Clock clock) {
    JavaMailSenderImpl sender = smtp.getIfAvailable();
    HookflowProperties.Mail mail = properties.mail();
    Mailer mailer;
    if (sender == null) {
      mailer = new OutboxMailer(properties.data().resolve("outbox"), clock);
      log.info(
          "No SMTP server configured (spring.mail.host): messages are written to the {}",
          mailer.describe());
    } else {
      requireStartTlsWhenEnabled(sender);
      warnOfALoginInTheClear(sender, mail.oauth2().enabled());
      warnOfALocalSender(mail.from(), sender.getHost());
      OAuth2Tokens tokens = null;
      if (mail.oauth2().enabled()) {
        String prefix = "mail." + sender.getProtocol() + ".";
        sender.getJavaMailProperties().setProperty(prefix + "auth", "true");
        sender.getJavaMailProperties().setProperty(prefix + "auth.mechanisms", "XOAUTH2");
        tokens = new OAuth2Tokens(mail.oauth2(), json, clock);
      }
      mailer =
          new SmtpMailer(
              sender, tokens, mail.connections(), mail.idleTimeout(), mail.pipelining(), clock);
      log.info(
          "Mail goes to {}{}",
          mailer.describe(),
          tokens == null ? "" : " with OAuth 2.0 (XOAUTH2)");
    }
    return mailer;
  }

  /**
   * Says at start when the SMTP login (a password, or an OAuth 2.0 access token) would cross the
   * network in the clear: neither {@code smtps} nor STARTTLS is set, and the server is not on this
   * machine. Left alone, as a relay inside a trusted network may want it; but by mistake it hands
   * the mailbox's password to anyone on the way.
   */
  private static void warnOfALoginInTheClear(JavaMailSenderImpl sender, boolean oauth2) {
    String prefix = "mail." + sender.getProtocol() + ".";
    boolean login = oauth2 || (sender.getUsername() != null && sender.getPassword() != null);
    boolean tls =
        "smtps".equals(sender.getProtocol())
            || Boolean.parseBoolean(
                sender.getJavaMailProperties().getProperty(prefix + "starttls.enable"));
    if (login && !tls && !Hosts.loopback(sender.getHost())) {
      log.warn(
          "The SMTP login to {} goes in the clear: set"
              + " spring.mail.properties.mail.smtp.starttls.enable=true (port 587), or"
              + " spring.mail.protocol=smtps (port 465)",
          sender.getHost());
    }
  }

  /**
   * Says at start when messages to another machine's server would go from an address of no domain
   * (the default {@code hookflow@localhost}): most mail servers refuse such a sender, or file its
   * messages as spam.
   */
  private static void warnOfALocalSender(String from, String host) {
    String domain = from.substring(from.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    if (!Hosts.loopback(host) && (Hosts.loopback(domain) || !domain.contains("."))) {
      log.warn(
          "Messages go from {}, an address of no domain, which most mail servers refuse or take"
              + " for spam: set hookflow.mail.from to an address of your own domain",
          from);
    }
  }

  /**
   * STARTTLS asked for is STARTTLS required. Jakarta Mail would otherwise go on in the clear, and
   * send the SMTP login in the clear, to a server whose EHLO reply leaves STARTTLS out, or through
   * anyone between the two who takes it out. {@code starttls.required=false}, set explicitly, still
   * allows that.
   */
  private static void requireStartTlsWhenEnabled(JavaMailSenderImpl sender) {
    Properties session = sender.getJavaMailProperties();
    String prefix = "mail." + sender.getProtocol() + ".";
    if (Boolean.parseBoolean(session.getProperty(prefix + "starttls.enable"))
        && session.getProperty(prefix + "starttls.required") == null) {
      session.setProperty(prefix + "starttls.required", "true");
    }
  }
}
