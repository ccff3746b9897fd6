package dev.loopline.core.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.loopline.schemas.json.Json;
import dev.loopline.schemas.spec.LoopSpec;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of a spec's canonical internal JSON (fields in model order, absent fields omitted), so the same
 * loop gets the same hash whichever format it was written in.
 */
public final class SpecHash {

    private SpecHash() {}

    public static String of(LoopSpec spec) {
        try {
            byte[] canonical = Json.mapper().writeValueAsBytes(spec);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash spec " + spec.id(), e);
        }
    }
}
