package io.hookflow.mail;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;

/**
 * Turns an {@link OutgoingMail} into a MIME message that keeps its given Message-ID.
 *
 * <p>The message is made whole here, headers encoded and folded by Jakarta Mail's own {@link
 * MimeUtility} and {@link InternetAddress}, the body already transfer-encoded, and handed to
 * Jakarta Mail as a message that is saved and unmodified: it then writes the header lines and the
 * body bytes as they are. Setting the parts one by one and saving made it parse every address
 * header again, pick the encoding by reading the body through its data handler and write the text
 * through a content handler: together about a sixth of a run's CPU.
 */
final class MimeMessages {

  /** RFC 5322's date-time, in UTC. */
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

  private static final int MAX_7BIT_LINE = 998;

  /** The Date header last made: at a thousand messages a second, most share their second. */
  private static volatile DateHeader lastDate = new DateHeader(Long.MIN_VALUE, "");

  private record DateHeader(long second, String text) {}

  /** The sender last parsed: one setting, the same for every message. */
  private static volatile Sender lastSender = new Sender("", null);

  private record Sender(String text, InternetAddress parsed) {}

  private static InternetAddress sender(String from) throws MessagingException {
    Sender last = lastSender;
    if (!last.text().equals(from)) {
      last = new Sender(from, Headers.mailbox(from));
      lastSender = last;
    }
    return last.parsed();
  }

  private MimeMessages() {}

  static MimeMessage build(Session session, OutgoingMail mail, Instant sentAt)
      throws MessagingException {
    InternetAddress[] from = {sender(mail.from())};
    InternetAddress[] to = addresses(mail.to());
    InternetAddress[] cc = addresses(mail.cc());
    InternetAddress[] bcc = addresses(mail.bcc());
    String encoding = transferEncoding(mail.body());

    HeaderLines headers = new HeaderLines();
    headers.addHeader("Date", date(sentAt));
    headers.addHeader("From", InternetAddress.toString(from, "From: ".length()));
    address(headers, "To", to);
    address(headers, "Cc", cc);
    // Kept for a message written to a file; the SMTP transport leaves Bcc out of what it sends.
    address(headers, "Bcc", bcc);
    headers.addHeader("Message-ID", mail.messageId());
    try {
      headers.addHeader(
          "Subject",
          MimeUtility.fold(
              "Subject: ".length(),
              MimeUtility.encodeText(Headers.oneLine(mail.subject()), "UTF-8", null)));
    } catch (UnsupportedEncodingException e) {
      throw new IllegalStateException("UTF-8 is always supported", e);
    }
    headers.addHeader("MIME-Version", "1.0");
    headers.addHeader(
        "Content-Type", (mail.html() ? "text/html" : "text/plain") + "; charset=UTF-8");
    headers.addHeader("Content-Transfer-Encoding", encoding);

    Address[] recipients = new Address[to.length + cc.length + bcc.length];
    System.arraycopy(to, 0, recipients, 0, to.length);
    System.arraycopy(cc, 0, recipients, to.length, cc.length);
    System.arraycopy(bcc, 0, recipients, to.length + cc.length, bcc.length);
    return new PreparedMessage(session, headers, body(mail.body(), encoding), from, recipients);
  }

  /**
   * The message's size as written, headers and body, before SMTP's dot-stuffing; {@link
   * Integer#MAX_VALUE} for a message not built here.
   */
  static int size(MimeMessage message) {
    return message instanceof PreparedMessage prepared ? prepared.size() : Integer.MAX_VALUE;
  }

  /**
   * {@code 7bit} for ASCII text in lines the SMTP limit allows; else {@code quoted-printable},
   * which keeps mostly-ASCII text readable in the raw message.
   */
  static String transferEncoding(String body) {
    int line = 0;
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c >= 128 || c == 0) {
        return "quoted-printable";
      }
      line = c == '\n' || c == '\r' ? 0 : line + 1;
      if (line > MAX_7BIT_LINE) {
        return "quoted-printable";
      }
    }
    return "7bit";
  }

  static String date(Instant at) {
    DateHeader last = lastDate;
    if (last.second() != at.getEpochSecond()) {
      last = new DateHeader(at.getEpochSecond(), DATE.format(at));
      lastDate = last;
    }
    return last.text();
  }

  private static byte[] body(String text, String encoding) throws MessagingException {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    if (encoding.equals("7bit")) {
      return utf8;
    }
    ByteArrayOutputStream encoded = new ByteArrayOutputStream(utf8.length + utf8.length / 2);
    try (OutputStream out = MimeUtility.encode(encoded, encoding)) {
      out.write(utf8);
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return encoded.toByteArray();
  }

  private static void address(InternetHeaders headers, String name, InternetAddress[] addresses) {
    if (addresses.length > 0) {
      headers.addHeader(name, InternetAddress.toString(addresses, name.length() + 2));
    }
  }

  private static InternetAddress[] addresses(List<String> addresses) throws MessagingException {
    InternetAddress[] parsed = new InternetAddress[addresses.size()];
    for (int i = 0; i < parsed.length; i++) {
      parsed[i] = Headers.mailbox(addresses.get(i));
    }
    return parsed;
  }

  /** Header lines in the order added, without Jakarta Mail's empty placeholders. */
  private static final class HeaderLines extends InternetHeaders {
    HeaderLines() {
      headers.clear();
    }
  }

  /**
   * A message already saved: Jakarta Mail writes its header lines and body bytes unchanged, and the
   * transport takes the sender and recipients parsed here instead of parsing the headers.
   */
  private static final class PreparedMessage extends MimeMessage {

    private final Address[] from;
    private final Address[] recipients;

    PreparedMessage(
        Session session,
        InternetHeaders headers,
        byte[] body,
        Address[] from,
        Address[] recipients) {
      super(session);
      this.headers = headers;
      this.content = body;
      this.from = from;
      this.recipients = recipients;
      this.modified = false;
      this.saved = true;
    }

    /** Header lines, the blank line after them and the body, as written. */
    int size() {
      int bytes = 2 + content.length;
      for (Enumeration<String> lines = headers.getAllHeaderLines(); lines.hasMoreElements(); ) {
        bytes += lines.nextElement().length() + 2;
      }
      return bytes;
    }

    @Override
    public Address[] getFrom() {
      return from.clone();
    }

    @Override
    public Address[] getAllRecipients() {
      return recipients.clone();
    }
  }
}
