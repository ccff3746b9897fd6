package dev.loopline.agent.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.schemas.spec.LoopSpec;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * Every maker type a spec may name (the schema's enum, {@link LoopSpec.Maker#TYPES}) has a maker in this agent: a
 * valid spec, such as the one {@code loopline init} scaffolds, never ends its ticks with "maker type not available".
 */
@QuarkusTest
class MakersTest {

    @Inject
    Makers makers;

    @Test
    void everyMakerTypeOfTheSchemaHasAMaker() {
        for (String type : LoopSpec.Maker.TYPES) {
            assertThat(makers.forType(type)).as(type).hasValueSatisfying(m -> assertThat(m.type())
                    .isEqualTo(type));
        }
    }

    @Test
    void onlyTheModelApiMakersHoldTheBudgetPerCall() {
        for (String type : LoopSpec.Maker.TYPES) {
            boolean perCall = type.equals("openai") || type.equals("anthropic");
            assertThat(makers.forType(type).orElseThrow().holdsPerCall())
                    .as(type)
                    .isEqualTo(perCall);
        }
    }
}
