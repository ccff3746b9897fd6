package dev.loopline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code loopline up --agents N}: how many agent-service processes the stack may run in one consumer group. */
class AgentWorkersTest {

    @Test
    void oneToThePartitionCountOfTheTicksTopicIsAccepted() {
        for (int n = 1; n <= LocalStack.WORK_TOPIC_PARTITIONS; n++) {
            LocalStack.requireAgentCount(n);
        }
        assertThat(LocalStack.WORK_TOPIC_PARTITIONS).isEqualTo(3);
    }

    @Test
    void moreAgentsThanPartitionsOrNoneAreRefusedWithTheReason() {
        assertThatThrownBy(() -> LocalStack.requireAgentCount(4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--agents 4: give 1 to 3")
                .hasMessageContaining("partitions");
        assertThatThrownBy(() -> LocalStack.requireAgentCount(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--agents 0");
    }

    @Test
    void theFirstAgentKeepsItsNameAndTheOthersAreNumbered() {
        assertThat(LocalStack.agentWorkerName(1)).isEqualTo("agent-service");
        assertThat(LocalStack.agentWorkerName(2)).isEqualTo("agent-service-2");
        assertThat(LocalStack.agentWorkerName(3)).isEqualTo("agent-service-3");
    }

    @Test
    void upRefusesABadAgentCountAsAUsageErrorBeforeStartingAnything(@TempDir Path dir) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        int exit;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exit = new CommandLine(new LocalStackCommand())
                    .execute(
                            "up",
                            "--agents",
                            "5",
                            "--root",
                            dir.toString(),
                            "--dir",
                            dir.resolve("stack").toString());
        } finally {
            System.setErr(saved);
        }
        assertThat(exit).isEqualTo(64);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("loopline up: --agents 5: give 1 to 3");
        assertThat(Files.exists(dir.resolve("stack")))
                .as("nothing was started or created")
                .isFalse();
    }
}
