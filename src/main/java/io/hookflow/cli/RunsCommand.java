package io.hookflow.cli;

import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Lists, shows and retries the runs of a running hookflow through its JSON API. */
class RunsCommand implements Command {

  private static final Map<String, String> FILTERS =
      Map.of(
          "flow", "flow",
          "state", "state",
          "for-user", "user",
          "application", "application",
          "from", "from",
          "to", "to",
          "page", "page",
          "size", "size");

  @Override
  public String usage() {
    return "runs list|show ID|retry ID|retry-failed [--url URL] [--user USER] [--password PW]\n"
        + "                      [--flow F] [--state S] [--for-user U] [--application A]\n"
        + "                      [--from DATE] [--to DATE] [--page N] [--size N]\n"
        + "                      runs of the hookflow at URL (default http://localhost:8080);\n"
        + "                      retry-failed queues every failed run the filters let through;\n"
        + "                      also HOOKFLOW_URL, HOOKFLOW_USER, HOOKFLOW_PASSWORD";
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) {
    Set<String> known = new HashSet<>(FILTERS.keySet());
    known.addAll(Set.of("url", "user", "password"));
    Options options = new Options(args, known);
    List<String> words = options.positional();
    if (words.isEmpty()
        || !(Set.of("list", "retry-failed").contains(words.get(0)) && words.size() == 1
            || Set.of("show", "retry").contains(words.get(0)) && words.size() == 2)) {
      err.println("usage: java -jar hookflow.jar " + usage());
      return 2;
    }
    if (words.get(0).equals("retry-failed")
        && (options.get("page", null) != null || options.get("size", null) != null)) {
      err.println(
          "retry-failed queues every failed run the filters let through, on every page: --page"
              + " and --size do not apply");
      return 2;
    }
    JsonMapper json = JsonMapper.builder().build();
    String password = options.get("password", "HOOKFLOW_PASSWORD", null);
    if (password == null) {
      err.println("give the console password with --password or HOOKFLOW_PASSWORD");
      return 2;
    }
    ApiClient api =
        new ApiClient(
            options.get("url", "HOOKFLOW_URL", "http://localhost:8080"),
            options.get("user", "HOOKFLOW_USER", "admin"),
            password,
            json);
    try {
      switch (words.get(0)) {
        case "list" -> list(api, options, out);
        case "retry-failed" ->
            out.println(
                api.post("/api/runs/retry" + query(options)).path("retried").asInt()
                    + " failed run(s) queued for another attempt");
        case "show" ->
            out.println(
                json.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(api.get("/api/runs/" + encode(words.get(1)))));
        default -> {
          JsonNode run = api.post("/api/runs/" + encode(words.get(1)) + "/retry");
          out.println(
              "run "
                  + run.path("id").asString()
                  + " queued for another attempt (state "
                  + run.path("state").asString()
                  + ")");
        }
      }
      return 0;
    } catch (ApiClient.Failure e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
  }

  /** The filters given, as the API's query string (empty or starting with "?"). */
  private static String query(Options options) {
    List<String> query = new ArrayList<>();
    FILTERS.forEach(
        (option, param) -> {
          String value = options.get(option, null);
          if (value != null) {
            query.add(param + "=" + encode(value));
          }
        });
    return query.isEmpty() ? "" : "?" + String.join("&", query);
  }

  private static void list(ApiClient api, Options options, PrintStream out) {
    JsonNode page = api.get("/api/runs" + query(options));
    String format = "%-36s  %-9s  %8s  %-20s  %-30s  %s%n";
    out.printf(format, "ID", "STATE", "ATTEMPTS", "CREATED", "FLOW", "USER / APPLICATION / ERROR");
    for (JsonNode run : page.path("runs")) {
      String error = run.path("lastError").asString("");
      out.printf(
          format,
          run.path("id").asString(),
          run.path("state").asString(),
          run.path("attempts").asInt(),
          run.path("createdAt").asString("").replaceFirst("\\.\\d+Z$", "Z"),
          run.path("flow").asString(),
          run.path("user").asString("-")
              + " / "
              + run.path("application").asString("-")
              + (error.isEmpty() ? "" : " / " + error));
    }
    out.println(
        page.path("total").asLong()
            + " run(s); page "
            + page.path("page").asInt()
            + " of "
            + page.path("pages").asInt());
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
