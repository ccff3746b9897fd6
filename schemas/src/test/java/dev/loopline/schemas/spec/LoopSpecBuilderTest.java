package dev.loopline.schemas.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoopSpecBuilderTest {

    private static LoopSpec full() {
        return LoopSpec.builder(
                        "docs-loop", LoopSpec.Kind.ASSISTED_FIX, LoopSpec.Level.L2, new LoopSpec.Target("/r", "main"))
                .name("Docs")
                .team("platform")
                .cadence("5m")
                .priority(7)
                .paused(true)
                .task("fix the docs")
                .test(new LoopSpec.Test("./test.sh", 60))
                .maker(new LoopSpec.Maker("mock", null, null, List.of(), 5))
                .allowlist(new LoopSpec.Allowlist(List.of("docs/**"), List.of(), 5, 200))
                .budget(new LoopSpec.Budget(1000L, 10000L, 3))
                .cost(new LoopSpec.Cost(1L, 2L, 3L))
                .cron("0 9 * * *")
                .timezone("Europe/Berlin")
                .pauseWindows(List.of(new LoopSpec.PauseWindow(List.of("sat"), "00:00", "00:00")))
                .commands(new LoopSpec.Commands(List.of(), List.of()))
                .on(List.of(new LoopSpec.EventTrigger(
                        LoopSpec.EventTrigger.Source.GITHUB,
                        LoopSpec.EventTrigger.EventType.PUSH,
                        "acme/widgets",
                        null,
                        null,
                        null)))
                .protectedPaths(List.of("fixtures/**"))
                .build();
    }

    @Test
    void aRunMaySpendTheSpecsTokensPerRunElseTheDeploymentsDefault() {
        assertThat(full().tokensPerRunOr(50_000)).isEqualTo(1000);
        assertThat(full().toBuilder()
                        .budget(new LoopSpec.Budget(null, 10000L, 3))
                        .build()
                        .tokensPerRunOr(50_000))
                .isEqualTo(50_000);
        assertThat(full().toBuilder().budget(null).build().tokensPerRunOr(50_000))
                .isEqualTo(50_000);
    }

    @Test
    void everyComponentIsSetByTheBuilder() throws Exception {
        LoopSpec spec = full();
        for (RecordComponent c : LoopSpec.class.getRecordComponents()) {
            assertThat(c.getAccessor().invoke(spec)).as(c.getName()).isNotNull();
        }
    }

    @Test
    void builderHasOneSetterPerComponent() {
        List<String> setters = Arrays.stream(LoopSpec.Builder.class.getMethods())
                .filter(m -> m.getReturnType() == LoopSpec.Builder.class && m.getParameterCount() == 1)
                .map(m -> m.getName())
                .toList();
        List<String> components = Arrays.stream(LoopSpec.class.getRecordComponents())
                .map(RecordComponent::getName)
                .toList();
        assertThat(setters).containsExactlyInAnyOrderElementsOf(components);
    }

    @Test
    void toBuilderCopiesEveryComponent() {
        LoopSpec spec = full();
        assertThat(spec.toBuilder().build()).isEqualTo(spec);
    }

    @Test
    void toBuilderChangesOnlyTheComponentSet() {
        LoopSpec spec = full();
        LoopSpec changed = spec.toBuilder().task("other").build();
        assertThat(changed.task()).isEqualTo("other");
        assertThat(changed.toBuilder().task(spec.task()).build()).isEqualTo(spec);
    }

    @Test
    void withLevelAndWithTargetKeepTheRest() {
        LoopSpec spec = full();
        LoopSpec l1 = spec.withLevel(LoopSpec.Level.L1);
        assertThat(l1.level()).isEqualTo(LoopSpec.Level.L1);
        assertThat(l1.withLevel(LoopSpec.Level.L2)).isEqualTo(spec);
        LoopSpec moved = spec.withTarget(new LoopSpec.Target("/elsewhere", "dev"));
        assertThat(moved.target().repo()).isEqualTo("/elsewhere");
        assertThat(moved.commands()).isEqualTo(spec.commands());
    }

    @Test
    void requiredComponentsCannotBeNull() {
        assertThatThrownBy(() -> LoopSpec.builder("x", LoopSpec.Kind.REPORT, LoopSpec.Level.L1, null)
                        .build())
                .isInstanceOf(NullPointerException.class)
                .hasMessage("target");
    }
}
