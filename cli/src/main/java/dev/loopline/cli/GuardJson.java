package dev.loopline.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * Compact, one-line JSON for the guard verbs; a single answer and a batch line have the same shape. Written with
 * Jackson's streaming generator rather than data binding: the guard verbs run once per agent command, and binding
 * costs several hundred milliseconds of class loading and record introspection at start-up (measured), where the
 * generator costs a few tens.
 */
final class GuardJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private GuardJson() {}

    /** An answer of a guard verb that writes itself as one JSON object. */
    interface Writable {
        void write(Fields json) throws IOException;
    }

    static String write(Writable value) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            value.write(new Fields(g));
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** A JSON string literal of {@code text}, quotes and escapes included. */
    static String quote(String text) {
        StringWriter out = new StringWriter(text.length() + 2);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeString(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The decoded text when {@code line} is exactly one JSON string literal, else null. */
    static String decodeStringLiteral(String line) {
        if (line.length() < 2 || line.charAt(0) != '"' || line.charAt(line.length() - 1) != '"') {
            return null;
        }
        try (JsonParser p = FACTORY.createParser(line)) {
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                return null;
            }
            String text = p.getText();
            return p.nextToken() == null ? text : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Enum constants as the lower-case, dashed words the JSON uses ({@code URL_PERCENT} → {@code url-percent}). */
    static String word(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Object fields; a null value leaves its field out. */
    static final class Fields {
        private final JsonGenerator g;

        Fields(JsonGenerator g) {
            this.g = g;
        }

        Fields string(String name, String value) throws IOException {
            if (value != null) {
                g.writeStringField(name, value);
            }
            return this;
        }

        Fields number(String name, Integer value) throws IOException {
            if (value != null) {
                g.writeNumberField(name, value);
            }
            return this;
        }

        Fields bool(String name, boolean value) throws IOException {
            g.writeBooleanField(name, value);
            return this;
        }

        Fields strings(String name, List<String> values) throws IOException {
            g.writeArrayFieldStart(name);
            for (String v : values) {
                g.writeString(v);
            }
            g.writeEndArray();
            return this;
        }

        Fields objects(String name, List<? extends Writable> values) throws IOException {
            g.writeArrayFieldStart(name);
            for (Writable v : values) {
                g.writeStartObject();
                v.write(this);
                g.writeEndObject();
            }
            g.writeEndArray();
            return this;
        }
    }

    /** One batch item that could not be judged. */
    record ItemError(int line, String error) implements Writable {
        @Override
        public void write(Fields json) throws IOException {
            json.number("line", line).string("error", error);
        }
    }
}
