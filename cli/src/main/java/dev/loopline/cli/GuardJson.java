package dev.loopline.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.loopline.schemas.json.Json;
import java.io.UncheckedIOException;
import java.util.Locale;

/** Compact, one-line JSON for the guard verbs (a single answer and a batch line have the same shape). */
final class GuardJson {

    private static final ObjectWriter WRITER = Json.mapper().writer();
    private static final ObjectReader STRING_READER =
            Json.mapper().readerFor(String.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private GuardJson() {}

    static String write(Object value) {
        try {
            return WRITER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The decoded text when {@code line} is exactly one JSON string literal, else null. */
    static String decodeStringLiteral(String line) {
        if (line.length() < 2 || line.charAt(0) != '"' || line.charAt(line.length() - 1) != '"') {
            return null;
        }
        try {
            return STRING_READER.readValue(line);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** Enum constants as the lower-case, dashed words the JSON uses ({@code URL_PERCENT} → {@code url-percent}). */
    static String word(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** One batch item that could not be judged. */
    record ItemError(int line, String error) {}
}
