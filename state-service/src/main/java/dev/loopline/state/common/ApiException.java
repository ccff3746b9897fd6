package dev.loopline.state.common;

import dev.loopline.schemas.http.ProblemType;
import dev.loopline.support.rest.Problem;
import java.util.List;

/** A request this API refuses on purpose; mapped to its problem document by {@link ProblemMappers}. */
public class ApiException extends RuntimeException {

    private final transient Problem problem;

    public ApiException(Problem problem) {
        super(problem.detail());
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    public static ApiException notFound(String detail) {
        return new ApiException(Problem.of(ProblemType.NOT_FOUND, detail));
    }

    public static ApiException invalidParameter(String field, String message) {
        return new ApiException(Problem.of(ProblemType.INVALID_REQUEST, field + ": " + message)
                .withErrors(List.of(new Problem.FieldError(field, message))));
    }
}
