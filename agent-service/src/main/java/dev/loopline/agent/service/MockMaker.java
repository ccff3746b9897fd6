package dev.loopline.agent.service;

import dev.loopline.core.maker.MockEdits;
import dev.loopline.schemas.events.Usage;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A deterministic maker for walking skeletons and tests: core's {@link MockEdits} (the same edits the CLI's
 * one-process run makes) in the attempt's worktree.
 */
@ApplicationScoped
public class MockMaker implements Maker {

    public static final String TYPE = MockEdits.TYPE;

    @Override
    public String type() {
        return TYPE;
    }

    /** Its tokens are settled under the model name {@value #TYPE}. */
    @Override
    public String model(MakerRequest request) {
        return TYPE;
    }

    @Override
    public MakerResult make(MakerRequest request) {
        MockEdits.Result result;
        try {
            result = MockEdits.apply(request.worktree(), request.spec(), request.loopId(), request.tickId());
        } catch (MockEdits.Failed e) {
            throw new MakerException(e.getMessage(), e);
        }
        return new MakerResult(result.summary(), new Usage(0, result.tokens()));
    }
}
