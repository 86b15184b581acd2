package dev.bumper.container;

import java.util.Locale;

/**
 * One {@code --port N[/tcp|/udp]}: a port the image exposes.
 *
 * @param protocol {@code tcp} or {@code udp}
 */
public record PortSpec(int port, String protocol) {
  /** @throws ContainerException (usage) for a port outside 1-65535 or another protocol */
  public static PortSpec parse(String spec) {
    String text = spec.strip().toLowerCase(Locale.ROOT);
    String protocol = "tcp";
    int slash = text.indexOf('/');
    if (slash >= 0) {
      protocol = text.substring(slash + 1);
      text = text.substring(0, slash);
      if (!protocol.equals("tcp") && !protocol.equals("udp")) {
        throw ContainerException.usage("--port " + spec + ": the protocol must be tcp or udp");
      }
    }
    int port;
    try {
      port = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw ContainerException.usage("--port " + spec + ": expected N, N/tcp or N/udp");
    }
    if (port < 1 || port > 65535) {
      throw ContainerException.usage("--port " + spec + ": a port is 1 to 65535");
    }
    return new PortSpec(port, protocol);
  }
}
