package io.hookflow;

import io.hookflow.cli.Cli;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.persistence.autoconfigure.PersistenceExceptionTranslationAutoConfiguration;
import org.springframework.boot.servlet.autoconfigure.MultipartAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.metrics.TomcatMetricsAutoConfiguration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.sqlite.SQLiteJDBCLoader;

/**
 * Runs the hookflow service: Okta events in, flows run, email out.
 *
 * <p>Left out, as hookflow has no use for them (together they took ≈0.2 s of CPU from each start on
 * a 2-core machine): aspects, Spring's task executor (hookflow runs threads of its own), exception
 * translation for {@code @Repository} beans (a proxy around every store call; {@code JdbcClient}
 * and {@code Statements} translate already), multipart uploads, Tomcat's session metrics (they
 * start the platform MBean server), and the actuator's Jackson 2 mapper (Jackson 2 is here only for
 * the Okta SDK; the actuator uses Jackson 3).
 */
@SpringBootApplication(
    exclude = {
      AopAutoConfiguration.class,
      TaskExecutionAutoConfiguration.class,
      PersistenceExceptionTranslationAutoConfiguration.class,
      MultipartAutoConfiguration.class,
      TomcatMetricsAutoConfiguration.class
    },
    excludeName =
        "org.springframework.boot.actuate.autoconfigure.endpoint.jackson.Jackson2EndpointAutoConfiguration")
@ConfigurationPropertiesScan
@EnableScheduling
public class HookflowApplication {

  public static void main(String[] args) {
    if (Cli.isCommand(args)) {
      System.exit(Cli.run(args, System.out, System.err));
    }
    preloadSqlite();
    SpringApplication.run(HookflowApplication.class, args);
  }

  /**
   * sqlite-jdbc copies its native library to a temporary file and loads it on first use, a few
   * tenths of a second. The embedded default needs it once the context is built; loading it
   * meanwhile on another core takes that off the start-up. (With PostgreSQL it is loaded unused.)
   */
  private static void preloadSqlite() {
    Thread preload =
        new Thread(
            () -> {
              try {
                SQLiteJDBCLoader.initialize();
              } catch (Exception | LinkageError e) {
                // The data source reports it, with context, when it opens its first connection.
              }
            },
            "sqlite-preload");
    preload.setDaemon(true);
    preload.start();
  }
}
