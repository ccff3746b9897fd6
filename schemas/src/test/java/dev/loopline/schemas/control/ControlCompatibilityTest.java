package dev.loopline.schemas.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Control records as state-service published them before the contract moved to schemas (frozen samples in {@code
 * compat/v1/control}) still decode, under their key, and encode back to the very same bytes: consumers already
 * reading the topic see no difference.
 */
class ControlCompatibilityTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "kill-switch.json, loop:docs-changelog",
        "kill-switch-global-resumed.json, global:global",
        "budget-alert.json, budget:team:platform"
    })
    void recordsPublishedBeforeTheMoveStillDecodeAndReencodeByteForByte(String file, String key) throws Exception {
        String json = read("compat/v1/control/" + file).strip();

        ControlRecord record = ControlCodec.decode(key, json);

        assertThat(record.key()).isEqualTo(key);
        assertThat(ControlCodec.encode(record)).isEqualTo(json);
    }

    private static String read(String resource) throws IOException {
        try (InputStream in = ControlCompatibilityTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as("frozen sample %s", resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
