package dev.loopline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a launcher or a test may hand the stack's services beyond what the stack sets itself. */
class LocalStackOptionsTest {

    private static LocalStack.Options options(Map<String, Map<String, String>> environment) {
        return new LocalStack.Options(
                Path.of("."),
                Path.of(".loopline"),
                new StackPorts(1, 2, 3, 4, 5, 6, 7, 8),
                "token",
                null,
                line -> {},
                environment);
    }

    @Test
    void eachServiceGetsOnlyItsOwnExtraEnvironment() {
        Map<String, String> idp = new HashMap<>(Map.of("LOOPLINE_AUTH_OIDC_ISSUER", "http://127.0.0.1:1"));
        LocalStack.Options options = options(Map.of("state-service", idp));
        idp.put("LOOPLINE_AUTH_OIDC_AUDIENCE", "changed after the options were made");

        assertThat(options.environmentOf("state-service"))
                .containsOnly(Map.entry("LOOPLINE_AUTH_OIDC_ISSUER", "http://127.0.0.1:1"));
        assertThat(options.environmentOf("dashboard")).isEmpty();
        assertThat(new LocalStack.Options(Path.of("."), Path.of("b"), null, "t", null, line -> {})
                        .environmentOf("agent-service"))
                .isEmpty();
    }

    @Test
    void environmentForAServiceTheStackDoesNotRunIsRefused() {
        assertThatThrownBy(() -> options(Map.of("state", Map.of("X", "1"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no service 'state'")
                .hasMessageContaining("state-service");
    }
}
