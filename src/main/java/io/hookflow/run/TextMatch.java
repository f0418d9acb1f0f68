package io.hookflow.run;

/**
 * A filter's text, found anywhere in a column whatever the case of its letters, accents and all.
 * Neither store can be asked to ignore case beyond ASCII: SQLite's {@code LOWER} and {@code LIKE}
 * fold A–Z only, and PostgreSQL's follow the database's locale (none beyond ASCII under {@code C}),
 * so "émilie" missed "Émilie". Each letter becomes the set of its cases instead: a {@code GLOB} on
 * SQLite, a regular expression on PostgreSQL.
 */
final class TextMatch {

  private TextMatch() {}

  /** The SQL condition that one of two columns contains the text bound as {@code :name}. */
  static String inEither(String column, String other, String name, boolean postgres) {
    String contains = postgres ? " ~ :" : " GLOB :";
    return "(" + column + contains + name + " OR " + other + contains + name + ")";
  }

  /** What to bind for {@link #inEither}. */
  static String pattern(String text, boolean postgres) {
    StringBuilder pattern = new StringBuilder(postgres ? "" : "*");
    text.codePoints()
        .forEach(
            c -> {
              int lower = Character.toLowerCase(c);
              int upper = Character.toUpperCase(c);
              int title = Character.toTitleCase(c);
              if (lower != c || upper != c || title != c) {
                pattern.append('[').appendCodePoint(lower).appendCodePoint(upper);
                if (title != upper) {
                  pattern.appendCodePoint(title);
                }
                pattern.append(']');
              } else if (postgres) {
                // In PostgreSQL's expressions a backslash before anything but a letter or digit
                // means that character itself.
                if (!Character.isLetterOrDigit(c)) {
                  pattern.append('\\');
                }
                pattern.appendCodePoint(c);
              } else if (c == '*' || c == '?' || c == '[') {
                pattern.append('[').appendCodePoint(c).append(']');
              } else {
                pattern.appendCodePoint(c);
              }
            });
    return postgres ? pattern.toString() : pattern.append('*').toString();
  }
}
