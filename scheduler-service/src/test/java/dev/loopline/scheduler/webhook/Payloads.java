package dev.loopline.scheduler.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loopline.schemas.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.function.Consumer;

/** The sample payloads under {@code src/test/resources/webhooks/}, and signing them as GitHub does. */
final class Payloads {

    private Payloads() {}

    static String text(String name) {
        try (InputStream in = Payloads.class.getResourceAsStream("/webhooks/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no test payload " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String name) {
        try {
            return Json.mapper().readTree(text(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The payload with a change, as raw JSON. */
    static String edited(String name, Consumer<ObjectNode> change) {
        ObjectNode node = (ObjectNode) json(name);
        change.accept(node);
        return node.toString();
    }

    /** {@code sha256=<hex>} of the body, computed independently of the code under test. */
    static String githubSignature(String secret, String body) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
