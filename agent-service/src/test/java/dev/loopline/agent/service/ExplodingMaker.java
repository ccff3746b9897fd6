package dev.loopline.agent.service;

import jakarta.enterprise.context.ApplicationScoped;

/** A maker with a bug, for tests: whatever it is asked, it throws an unexpected RuntimeException. */
@ApplicationScoped
public class ExplodingMaker implements Maker {

    /** A type with no real maker yet, so this test bean shadows nothing. */
    public static final String TYPE = "openai";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public MakerResult make(MakerRequest request) {
        throw new IllegalStateException("maker bug: index 3 out of bounds for length 3");
    }
}
