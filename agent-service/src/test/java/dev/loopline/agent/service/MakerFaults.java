package dev.loopline.agent.service;

import dev.loopline.schemas.events.Usage;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.inject.Inject;

/**
 * Faults for tests, injected around every real maker: a spec whose {@code maker.model} is {@link #EXPLODING} makes
 * the maker throw an unexpected exception (a bug), one whose model is {@link #SPENDING_THEN_FAILING} makes it fail
 * after spending {@link #SPENT}. Any other spec reaches the real maker unchanged. A decorator rather than extra maker
 * beans: every {@code maker.type} the spec schema allows now has a real maker, and a second bean of the same type
 * would shadow it.
 */
@Decorator
@Priority(1)
public abstract class MakerFaults implements Maker {

    public static final String EXPLODING = "test-exploding";
    public static final String SPENDING_THEN_FAILING = "test-spending-then-failing";
    public static final Usage SPENT = new Usage(30, 12);

    @Inject
    @Delegate
    Maker delegate;

    @Override
    public String model(MakerRequest request) {
        return faulty(request) ? null : delegate.model(request);
    }

    /** A decorator does not inherit the delegate's answer to a default method: pass it on. */
    @Override
    public boolean holdsPerCall() {
        return delegate.holdsPerCall();
    }

    @Override
    public MakerResult make(MakerRequest request) {
        String model = request.spec().maker().model();
        if (EXPLODING.equals(model)) {
            throw new IllegalStateException("maker bug: index 3 out of bounds for length 3");
        }
        if (SPENDING_THEN_FAILING.equals(model)) {
            throw new MakerException("the model answered no usable edit", SPENT);
        }
        return delegate.make(request);
    }

    private static boolean faulty(MakerRequest request) {
        String model = request.spec().maker().model();
        return EXPLODING.equals(model) || SPENDING_THEN_FAILING.equals(model);
    }
}
