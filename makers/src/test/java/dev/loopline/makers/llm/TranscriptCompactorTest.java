package dev.loopline.makers.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TranscriptCompactorTest {

    private static final String BIG = "x".repeat(3000);

    private static List<ChatMessage> transcript(String... commandsAndResults) {
        List<ChatMessage> messages = new ArrayList<>(List.of(SystemMessage.from("rules"), UserMessage.from("Task: t")));
        for (int i = 0; i < commandsAndResults.length; i += 2) {
            ToolExecutionRequest call = ToolExecutionRequest.builder()
                    .id("c" + i)
                    .name(WorktreeTools.RUN_COMMAND)
                    .arguments("{\"command\":\"" + commandsAndResults[i] + "\"}")
                    .build();
            messages.add(AiMessage.from(List.of(call)));
            messages.add(ToolExecutionResultMessage.from(call, commandsAndResults[i + 1]));
        }
        return messages;
    }

    @Test
    void foldsOldTurnsKeepingTheRecentOnesVerbatimAndTheConversationValid() {
        List<ChatMessage> messages =
                transcript("make a", "exit 0\n" + BIG, "make b", "exit 0\n" + BIG, "make c", "exit 0\nlast");
        TranscriptCompactor compactor = new TranscriptCompactor(1000, 0, 1);

        assertThat(compactor.maybeCompact(messages, 0)).isTrue();

        assertThat(messages).hasSize(4);
        assertThat(messages.get(0)).isInstanceOf(SystemMessage.class);
        assertThat(((UserMessage) messages.get(1)).singleText())
                .startsWith("Task: t\n\n[Loopline compacted the first 2 turns")
                .contains("- turn 1: run_command {\"command\":\"make a\"} -> exit 0")
                .contains("Open problems (commands that failed and have not succeeded since): none")
                .doesNotContain(BIG);
        assertThat(messages.get(2)).isInstanceOf(AiMessage.class);
        assertThat(((ToolExecutionResultMessage) messages.get(3)).text()).isEqualTo("exit 0\nlast");
        assertThat(TranscriptCompactor.size(messages)).isLessThan(1000);
    }

    @Test
    void aFailureStaysAnOpenProblemUntilTheSameCommandSucceeds() {
        List<ChatMessage> messages = transcript(
                "mvn test",
                "exit 1\nFAIL: GreetingTest",
                "ls",
                "exit 0\n" + BIG,
                "cat x",
                "error: no such file",
                "echo",
                "exit 0\n" + BIG);
        TranscriptCompactor compactor = new TranscriptCompactor(1000, 0, 1);
        compactor.maybeCompact(messages, 0);
        String summary = ((UserMessage) messages.get(1)).singleText();
        assertThat(summary).contains("- run_command {\"command\":\"mvn test\"} -> exit 1 FAIL: GreetingTest");

        messages.addAll(
                transcript("mvn test", "exit 0\n" + BIG, "done", "exit 0\nok").subList(2, 6));
        assertThat(compactor.maybeCompact(messages, 0)).isTrue();

        String again = ((UserMessage) messages.get(1)).singleText();
        assertThat(again).startsWith("Task: t\n\n[Loopline compacted the first 5 turns");
        assertThat(again.substring(again.indexOf("Open problems")))
                .doesNotContain("mvn test")
                .contains("cat x");
        assertThat(compactor.compactions()).isEqualTo(2);
    }

    @Test
    void theTokenThresholdAloneTriggersItAndBelowBothNothingChanges() {
        List<ChatMessage> messages = transcript("a", "exit 0\nsmall", "b", "exit 0\nsmall");
        TranscriptCompactor compactor = new TranscriptCompactor(100_000, 5000, 1);

        assertThat(compactor.maybeCompact(messages, 4000)).isFalse();
        assertThat(messages).hasSize(6);
        assertThat(compactor.maybeCompact(messages, 6000)).isTrue();
        assertThat(messages).hasSize(4);
    }

    @Test
    void aThresholdThatCannotWorkIsRefusedSayingWhich() {
        assertThatThrownBy(() -> new TranscriptCompactor(10, 0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("above-chars >= 1000");
        assertThatThrownBy(() -> new TranscriptCompactor(5000, 0, 0)).hasMessageContaining("keep-recent-turns >= 1");
    }
}
