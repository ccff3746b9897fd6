package dev.loopline.core.verify;

import java.util.Objects;

/** One answer of a literal object lookup. {@code oid} and {@code type} are null unless FOUND. */
public record ObjectInfo(String query, Status status, String oid, String type) {

    public enum Status {
        FOUND,
        MISSING,
        AMBIGUOUS
    }

    public ObjectInfo {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(status, "status");
    }

    public static ObjectInfo found(String query, String oid, String type) {
        return new ObjectInfo(query, Status.FOUND, oid, type);
    }

    public static ObjectInfo missing(String query) {
        return new ObjectInfo(query, Status.MISSING, null, null);
    }

    public static ObjectInfo ambiguous(String query) {
        return new ObjectInfo(query, Status.AMBIGUOUS, null, null);
    }
}
