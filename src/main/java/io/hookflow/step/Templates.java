package io.hookflow.step;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles templates. Plain text is never HTML-escaped; HTML is. A value the event lacks renders as
 * empty text, as a missing field does in Okta Workflows.
 */
public final class Templates {

  private static final Mustache.Compiler TEXT =
      // defaultValue covers missing and null alike; nullValue would make a missing one an error.
      Mustache.compiler().escapeHTML(false).defaultValue("").withCollector(new JsonCollector());
  private static final Mustache.Compiler HTML = TEXT.escapeHTML(true);
  private static final Pattern TAG =
      Pattern.compile("\\{\\{(\\{?)\\s*([#^/&!>=]?)\\s*(.*?)\\s*\\}?\\}\\}", Pattern.DOTALL);

  private Templates() {}

  /**
   * Compiles a template; a syntax error is an {@link IllegalArgumentException}, and so is, in HTML,
   * a tag that would leave its value unescaped: in an HTML body every value is escaped, since event
   * data is not to be trusted.
   */
  public static Template compile(String source, boolean html) {
    Matcher tag = TAG.matcher(source);
    StringBuilder outside = new StringBuilder();
    int end = 0;
    while (tag.find()) {
      outside.append(source, end, tag.start());
      end = tag.end();
      if (tag.group(3).isEmpty() && !tag.group(2).equals("!")) {
        throw new IllegalArgumentException(tag.group() + " names nothing");
      }
      if (html && (!tag.group(1).isEmpty() || tag.group(2).equals("&"))) {
        throw new IllegalArgumentException(
            tag.group()
                + " would put its value in unescaped; in HTML every value is escaped, so write"
                + " {{"
                + tag.group(3)
                + "}}");
      }
    }
    outside.append(source, end, source.length());
    int open = outside.indexOf("{{");
    if (open >= 0) {
      // Mustache would send it as it is: a typo such as {{user.displayName in a subject.
      throw new IllegalArgumentException(
          "'" + excerpt(outside, open) + "' opens a tag that is never closed with '}}'");
    }
    try {
      return new Template(source, (html ? HTML : TEXT).compile(source));
    } catch (MustacheException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static String excerpt(CharSequence text, int from) {
    int to = Math.min(text.length(), from + 30);
    return text.subSequence(from, to) + (to < text.length() ? "…" : "");
  }

  /**
   * The variable roots a template names outside any section ({@code user} for {@code
   * {{user.displayName}}}), and the sections' own names. Names inside a section may be relative to
   * it, so they are not listed.
   */
  public static List<String> roots(String source) {
    List<String> roots = new ArrayList<>();
    int depth = 0;
    Matcher tag = TAG.matcher(source);
    while (tag.find()) {
      String type = tag.group(2);
      String name = tag.group(3);
      switch (type) {
        case "!" -> {}
        case ">" -> throw new IllegalArgumentException("partials ({{> name}}) are not supported");
        case "=" ->
            // Tags in other delimiters would escape the check of the names they use.
            throw new IllegalArgumentException(
                "changing the delimiters ({{=<% %>=}}) is not supported");
        case "/" -> depth = Math.max(0, depth - 1);
        case "#", "^" -> {
          if (depth == 0) {
            roots.add(root(name));
          }
          depth++;
        }
        default -> {
          if (depth == 0) {
            roots.add(root(name));
          }
        }
      }
    }
    roots.removeIf(name -> name.isEmpty() || name.equals(".") || name.equals("this"));
    return roots;
  }

  private static String root(String name) {
    int dot = name.indexOf('.');
    return dot < 0 ? name : name.substring(0, dot);
  }
}
