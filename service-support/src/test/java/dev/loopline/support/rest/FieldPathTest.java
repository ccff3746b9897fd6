package dev.loopline.support.rest;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Valid;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Field paths of real Hibernate Validator violations, as the services' REST methods produce them. */
class FieldPathTest {

    record Scope(@NotBlank String kind, String id) {}

    record Reserve(
            @NotEmpty List<@Valid Scope> scopes,
            @Min(1) long tokens,
            @Valid Map<String, @Valid Scope> named,
            @Valid Scope primary) {}

    /** A resource method as the services declare them: a validated body and a validated query parameter. */
    static final class Resource {
        @SuppressWarnings("unused")
        public void reserve(@NotNull @Valid Reserve request, @Min(1) int limit) {}
    }

    private static jakarta.validation.ValidatorFactory factory;
    private static Validator validator;

    @BeforeAll
    static void validator() {
        factory = Validation.byDefaultProvider()
                .configure()
                .messageInterpolator(new ParameterMessageInterpolator())
                .buildValidatorFactory();
        validator = factory.getValidator();
    }

    @AfterAll
    static void close() {
        factory.close();
    }

    private static Set<String> paths(Object request, int limit) throws Exception {
        Method reserve = Resource.class.getMethod("reserve", Reserve.class, int.class);
        Set<ConstraintViolation<Resource>> violations =
                validator.forExecutables().validateParameters(new Resource(), reserve, new Object[] {request, limit});
        return violations.stream().map(FieldPath::of).collect(java.util.stream.Collectors.toSet());
    }

    @Test
    void aTopLevelFieldIsItsName() throws Exception {
        assertThat(paths(new Reserve(List.of(new Scope("loop", "a")), 0, Map.of(), null), 1))
                .containsExactly("tokens");
    }

    @Test
    void aListElementsFieldCarriesTheListPosition() throws Exception {
        assertThat(paths(new Reserve(List.of(new Scope("loop", "a"), new Scope(" ", "b")), 5, Map.of(), null), 1))
                .containsExactly("scopes[1].kind");
    }

    @Test
    void aMapEntrysFieldCarriesItsKeyAndANestedObjectItsPath() throws Exception {
        assertThat(paths(
                        new Reserve(
                                List.of(new Scope("loop", "a")),
                                5,
                                Map.of("main", new Scope("", "x")),
                                new Scope(null, "y")),
                        1))
                .containsExactlyInAnyOrder("named[main].kind", "primary.kind");
    }

    @Test
    void aParameterItselfIsNamedByTheParameter() throws Exception {
        // the build compiles with -parameters, as the services' REST resources are
        assertThat(paths(null, 0)).containsExactlyInAnyOrder("request", "limit");
    }
}
