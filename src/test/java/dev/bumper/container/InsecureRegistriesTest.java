package dev.bumper.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InsecureRegistriesTest {
  @Test
  void optionsAndEnvironmentHostsAndPorts() {
    InsecureRegistries insecure =
        InsecureRegistries.of(List.of("registry.local:5000", "http://Build-Cache/"), Map.of("BUMPER_INSECURE_REGISTRIES", "10.0.0.5:80, [::1]:5000"));
    assertThat(insecure.contains("registry.local:5000")).isTrue();
    assertThat(insecure.contains("registry.local:5001")).as("another port").isFalse();
    assertThat(insecure.contains("registry.local")).isFalse();
    assertThat(insecure.contains("build-cache")).isTrue();
    assertThat(insecure.contains("build-cache:8443")).as("a bare host covers every port").isTrue();
    assertThat(insecure.contains("10.0.0.5:80")).isTrue();
    assertThat(insecure.contains("[::1]:5000")).isTrue();
    assertThat(insecure.contains("ghcr.io")).isFalse();
    assertThat(InsecureRegistries.of(List.of(), Map.of()).isEmpty()).isTrue();
  }

  @Test
  void aPathIsNotAHost() {
    assertThatThrownBy(() -> InsecureRegistries.of(List.of("registry.local/team"), Map.of()))
        .hasMessage("--insecure-registry registry.local/team: expected HOST or HOST:PORT");
  }

  @Test
  void loopbackNamesAreKnownByNameWithoutResolving() {
    for (String registry : new String[] {"localhost", "localhost:5000", "127.0.0.1", "127.0.0.1:5000", "127.1.2.3:80", "[::1]:5000", "LOCALHOST:5000"}) {
      assertThat(InsecureRegistries.isLoopback(registry)).as(registry).isTrue();
    }
    for (String registry : new String[] {"ghcr.io", "localhost.example.com:5000", "128.0.0.1:5000", "127.0.0.256", "127.0.0", "10.0.0.1:5000", "[::2]:5000", "vm:5000"}) {
      assertThat(InsecureRegistries.isLoopback(registry)).as(registry).isFalse();
    }
  }
}
