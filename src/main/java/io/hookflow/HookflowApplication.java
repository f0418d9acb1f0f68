package io.hookflow;

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
    SpringApplication.run(HookflowApplication.class, args);
  }
}
