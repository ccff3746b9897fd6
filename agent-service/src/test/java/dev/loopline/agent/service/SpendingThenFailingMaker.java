package dev.loopline.agent.service;

import dev.loopline.schemas.events.Usage;
import jakarta.enterprise.context.ApplicationScoped;

/** A maker that spends tokens and then fails, as an LLM maker whose calls succeeded but whose work did not. */
@ApplicationScoped
public class SpendingThenFailingMaker implements Maker {

    /** A type with no real maker yet, so this test bean shadows nothing. */
    public static final String TYPE = "anthropic";

    public static final Usage SPENT = new Usage(30, 12);

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public MakerResult make(MakerRequest request) {
        throw new MakerException("the model answered no usable edit", SPENT);
    }
}
