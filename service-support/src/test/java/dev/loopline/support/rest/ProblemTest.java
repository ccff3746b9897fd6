package dev.loopline.support.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.schemas.http.ProblemType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemTest {

    @Test
    void slugIsTheTitleInLowerCaseWithOneHyphenForEachRunOfOtherCharacters() {
        assertThat(Problem.slug("Not Found")).isEqualTo("not-found");
        assertThat(Problem.slug("Request-URI Too Long")).isEqualTo("request-uri-too-long");
        assertThat(Problem.slug("  HTTP 599  ")).isEqualTo("http-599");
        assertThat(Problem.slug("!!!")).isEqualTo("error");
    }

    @Test
    void aProblemIsTypedUnderTheLooplineProblemsPrefix() {
        Problem problem = Problem.of(ProblemType.LOOP_NOT_FOUND, "no loop named docs");

        assertThat(problem.type()).isEqualTo("https://loopline.dev/problems/loop-not-found");
        assertThat(problem.title()).isEqualTo("Loop not found");
        assertThat(problem.status()).isEqualTo(404);
        assertThat(problem.errors()).isNull();
    }

    @Test
    void aBareStatusIsTitledAndDetailedByItsReasonPhrase() {
        Problem problem = Problem.ofStatus(415);

        assertThat(problem.status()).isEqualTo(415);
        assertThat(problem.type()).isEqualTo("https://loopline.dev/problems/unsupported-media-type");
        assertThat(problem.title()).isEqualTo("Unsupported Media Type");
        assertThat(problem.detail()).isEqualTo("Unsupported Media Type");
        assertThat(Problem.ofStatus(599).type()).isEqualTo("https://loopline.dev/problems/http-599");
    }

    @Test
    void aBareStatusTheCatalogueKnowsTakesItsCataloguedType() {
        Problem problem = Problem.of(jakarta.ws.rs.core.Response.Status.UNAUTHORIZED, "who are you?");

        assertThat(ProblemType.fromUri(problem.type())).contains(ProblemType.UNAUTHORIZED);
        assertThat(problem.detail()).isEqualTo("who are you?");
    }

    @Test
    void fieldErrorsAreCopiedSoTheCallerCannotChangeThemLater() {
        List<Problem.FieldError> errors = new ArrayList<>();
        errors.add(new Problem.FieldError("command", "must not be blank"));

        Problem problem = Problem.of(ProblemType.INVALID_REQUEST, "the request is invalid")
                .withErrors(errors);
        errors.clear();

        assertThat(problem.errors()).containsExactly(new Problem.FieldError("command", "must not be blank"));
    }
}
