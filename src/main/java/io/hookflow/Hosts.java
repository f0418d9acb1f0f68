package io.hookflow;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** What a host name, as written in the settings, says about where it is. */
public final class Hosts {

  private Hosts() {}

  /**
   * Whether {@code host} is this machine: {@code localhost}, or a loopback address written out
   * ({@code 127.0.0.1}, {@code ::1}, {@code [::1]}). Other names are not looked up: what they
   * resolve to here says nothing certain about where the connection goes.
   */
  public static boolean loopback(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (!literal.matches("[0-9.]+|[0-9a-fA-F:]+")) {
      return false;
    }
    try {
      return InetAddress.getByName(literal).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
