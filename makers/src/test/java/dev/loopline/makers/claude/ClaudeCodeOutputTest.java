package dev.loopline.makers.claude;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.schemas.events.Usage;
import org.junit.jupiter.api.Test;

class ClaudeCodeOutputTest {

    /** As the CLI 2.1.332 printed it (trimmed), after a run whose WebFetch asked the model on the side. */
    static final String RESULT =
            """
            {"type":"result","subtype":"success","is_error":false,"num_turns":2,"result":"All done.",\
            "total_cost_usd":0.001917,\
            "usage":{"input_tokens":200,"cache_creation_input_tokens":20,"cache_read_input_tokens":10,\
            "output_tokens":40},\
            "modelUsage":{"claude-sonnet-4-5":{"inputTokens":300,"outputTokens":60,"cacheReadInputTokens":15,\
            "cacheCreationInputTokens":30,"costUSD":0.001917}},\
            "permission_denials":[{"tool_name":"Bash","tool_use_id":"toolu_1","tool_input":{"command":"rm -rf /"}}]}
            """;

    @Test
    void readsTheResultLineAfterAnythingElseTheCliPrinted() {
        ClaudeCodeOutput output = ClaudeCodeOutput.parse("warning: something\n{not json\n" + RESULT)
                .orElseThrow();

        assertThat(output.succeeded()).isTrue();
        assertThat(output.result()).isEqualTo("All done.");
        assertThat(output.turns()).isEqualTo(2);
        assertThat(output.costUsd()).isEqualTo(0.001917);
        assertThat(output.denials()).singleElement().satisfies(d -> {
            assertThat(d.tool()).isEqualTo("Bash");
            assertThat(d.toolUseId()).isEqualTo("toolu_1");
            assertThat(d.input()).contains("rm -rf /");
        });
    }

    @Test
    void countsEveryModelCallAndEveryPromptTokenCachedOrNot() {
        ClaudeCodeOutput output = ClaudeCodeOutput.parse(RESULT).orElseThrow();

        // modelUsage, not usage: usage leaves out the call WebFetch made on the side
        assertThat(output.usage()).isEqualTo(new Usage(300 + 30 + 15, 60));
        assertThat(output.cacheReadTokens()).isEqualTo(15);
        assertThat(output.cacheCreationTokens()).isEqualTo(30);
    }

    @Test
    void fallsBackToTheConversationsUsageWithoutPerModelFigures() {
        String withoutModels = RESULT.replaceAll(",\"modelUsage\":\\{.*?\\}\\},", ",");

        assertThat(ClaudeCodeOutput.parse(withoutModels).orElseThrow().usage()).isEqualTo(new Usage(200 + 20 + 10, 40));
    }

    @Test
    void anErrorResultIsNotASuccessAndNoResultIsNothing() {
        String maxTurns = RESULT.replace(
                "\"subtype\":\"success\",\"is_error\":false", "\"subtype\":\"error_max_turns\"," + "\"is_error\":true");

        assertThat(ClaudeCodeOutput.parse(maxTurns).orElseThrow().succeeded()).isFalse();
        assertThat(ClaudeCodeOutput.parse("Error: Settings file not found\n")).isEmpty();
    }
}
