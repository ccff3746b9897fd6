package dev.loopline.makers.llm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThinkBlocksTest {

    @Test
    void removesEveryThinkBlockAndTrims() {
        assertThat(ThinkBlocks.strip("<think>plan</think>\nDone: fixed the typo."))
                .isEqualTo("Done: fixed the typo.");
        assertThat(ThinkBlocks.strip("A<think>x</think>B<think>y\nz</think>C")).isEqualTo("ABC");
    }

    @Test
    void dropsAnUnclosedBlockAndAStrayCloseAtTheStart() {
        assertThat(ThinkBlocks.strip("Fixed it. <think>but wait")).isEqualTo("Fixed it.");
        assertThat(ThinkBlocks.strip("reasoning whose opening was cut</think>Fixed it."))
                .isEqualTo("Fixed it.");
    }

    @Test
    void leavesOtherTextAlone() {
        assertThat(ThinkBlocks.strip("Use <b>bold</b> here")).isEqualTo("Use <b>bold</b> here");
        assertThat(ThinkBlocks.strip(null)).isEmpty();
    }
}
