package io.hookflow;

import io.hookflow.cli.Cli;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Runs the hookflow service: Okta events in, flows run, email out. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class HookflowApplication {

  public static void main(String[] args) {
    if (Cli.isCommand(args)) {
      System.exit(Cli.run(args, System.out, System.err));
    }
    SpringApplication.run(HookflowApplication.class, args);
  }
}
