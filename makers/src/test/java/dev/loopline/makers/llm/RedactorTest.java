package dev.loopline.makers.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RedactorTest {

    @Test
    void masksEveryOccurrenceOfTheKeyAndFindsItInBytes() {
        Redactor redactor = new Redactor("sk-live-123456");

        assertThat(redactor.redact("a sk-live-123456 b sk-live-123456")).isEqualTo("a [redacted] b [redacted]");
        assertThat(redactor.containsSecret("x=sk-live-123456\n".getBytes(StandardCharsets.UTF_8)))
                .isTrue();
        assertThat(redactor.containsSecret("x=sk-live-12345\n".getBytes(StandardCharsets.UTF_8)))
                .isFalse();
    }

    @Test
    void leavesAPlaceholderKeyForAServerThatChecksNoneAlone() {
        Redactor redactor = new Redactor("x");

        assertThat(redactor.redact("exit 0\nxyz")).isEqualTo("exit 0\nxyz");
        assertThat(redactor.containsSecret("xxx".getBytes(StandardCharsets.UTF_8)))
                .isFalse();
    }
}
