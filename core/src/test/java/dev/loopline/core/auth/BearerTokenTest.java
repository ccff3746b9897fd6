package dev.loopline.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BearerTokenTest {

    @ParameterizedTest(name = "[{index}] header=''{0}'' expected=''{1}'' -> {2}")
    @CsvSource(
            nullValues = "NULL",
            value = {
                "Bearer s3cret, s3cret, true",
                "Bearer s3cret , s3cret, true",
                "Bearer s3cre, s3cret, false",
                "Bearer s3cret2, s3cret, false",
                "bearer s3cret, s3cret, false",
                "Basic czNjcmV0, s3cret, false",
                "s3cret, s3cret, false",
                "NULL, s3cret, false",
                "Bearer , '', false",
                "Bearer x, NULL, false"
            })
    void acceptsOnlyTheExactConfiguredToken(String header, String expected, boolean accepted) {
        assertThat(BearerToken.matches(header, expected)).isEqualTo(accepted);
    }
}
