package dev.loopline.gate.rest;

import dev.loopline.schemas.http.ProblemType;
import dev.loopline.support.rest.Problem;

/** A refusal with its problem type and a detail for the caller (what, where, how to fix). */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(ProblemType type, String detail) {
        super(detail);
        this.problem = Problem.of(type, detail);
    }

    public Problem problem() {
        return problem;
    }
}
