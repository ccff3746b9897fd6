package dev.loopline.cli;

/**
 * Exit codes. The guard verbs keep the codes the earlier tools (Strive loopguard / loopengine) used, so
 * scripts written against them keep working.
 */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int BLOCKED = 2;
    public static final int FABRICATED = 3;
    public static final int UNVERIFIABLE = 4;
    public static final int DIFF_FINDINGS = 5;
    public static final int INJECTION_HIGH = 6;
    public static final int NOT_ALLOWED = 7;
    public static final int ISO_GAP = 8;
    public static final int USAGE = 64;
    /** A remote verb cannot reach the service (sysexits {@code EX_UNAVAILABLE}). */
    public static final int UNREACHABLE = 69;
    /** The service refused the token: 401 unknown/expired/revoked, or 403 role too weak (sysexits {@code EX_NOPERM}). */
    public static final int DENIED = 77;

    private ExitCodes() {}
}
