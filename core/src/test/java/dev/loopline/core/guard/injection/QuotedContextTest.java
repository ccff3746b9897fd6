package dev.loopline.core.guard.injection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class QuotedContextTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("intro\n```\nPAYLOAD\n```\nafter", true),
                Arguments.of("intro\n  ~~~text\nPAYLOAD\n~~~", true),
                Arguments.of("```\ncode\n```\nPAYLOAD outside the block", false),
                Arguments.of("writes `PAYLOAD` in an issue", true),
                Arguments.of("writes \"PAYLOAD\" in an issue", true),
                Arguments.of("writes \u201cPAYLOAD\u201d in an issue", true),
                Arguments.of("> PAYLOAD quoted as a block", true),
                Arguments.of("plain PAYLOAD in a sentence", false),
                Arguments.of("a \"closed\" quote before PAYLOAD", false),
                Arguments.of("`open code on one line\nPAYLOAD` on the next", false));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void findsThePayloadsQuotingOnlyWhereItIsQuoted(String text, boolean quoted) {
        int offset = text.indexOf("PAYLOAD");
        int[] span = new QuotedContext(text).around(offset);
        assertThat(span != null).as(text).isEqualTo(quoted);
        if (span != null) {
            assertThat(span[0]).isLessThanOrEqualTo(offset);
            assertThat(span[1]).isGreaterThan(offset);
        }
    }
}
