package io.hookflow.console;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The console's one administrator, who also signs the JSON API's HTTP Basic requests.
 *
 * @param username the login name
 * @param password the password (e.g. from {@code HOOKFLOW_CONSOLE_PASSWORD}); when unset, one is
 *     generated on first start, kept hashed under the data folder and written for the administrator
 *     to {@code initial-console-password} there
 */
@ConfigurationProperties("hookflow.console")
public record ConsoleProperties(@DefaultValue("admin") String username, String password) {}
