package dev.loopline.core.verify;

/** Verdict on one claim; {@code oid} is the full commit id when grounded, else null. */
public record GroundedResult(String claim, GroundedVerdict verdict, String oid, String detail) {

    public boolean grounded() {
        return verdict == GroundedVerdict.GROUNDED;
    }
}
