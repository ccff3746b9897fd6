package dev.loopline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.core.guard.injection.Encoding;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GuardJsonTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            nullValues = "NULL",
            value = {
                "\"git status\"                | git status",
                "\"a\\nb\"                     | 'a\nb'",
                "\"\\u0072m -rf /\"            | rm -rf /",
                "\"\"                          | ''",
                "git status                    | NULL",
                "\"a\" \"b\"                   | NULL",
                "\"unterminated                | NULL",
                "\"bad escape \\q\"            | NULL",
                "\"x\" # trailing \"           | NULL"
            })
    void decodesALineOnlyWhenItIsExactlyOneJsonString(String line, String decoded) {
        assertThat(GuardJson.decodeStringLiteral(line)).isEqualTo(decoded);
    }

    @Test
    void writesFieldsInOrderLeavingNullsOutAndEscapingText() {
        GuardJson.Writable value = json -> json.number("line", 3)
                .string("missing", null)
                .string("text", "say \"hi\"\n\t\\")
                .bool("ok", false)
                .strings("list", List.of("a", "b"));

        assertThat(GuardJson.write(value))
                .isEqualTo("{\"line\":3,\"text\":\"say \\\"hi\\\"\\n\\t\\\\\",\"ok\":false,\"list\":[\"a\",\"b\"]}");
    }

    @Test
    void enumWordsAreLowerCaseWithDashes() {
        assertThat(GuardJson.word(Encoding.URL_PERCENT)).isEqualTo("url-percent");
    }
}
