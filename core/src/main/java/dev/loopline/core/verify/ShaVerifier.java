package dev.loopline.core.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Checks that claimed commit SHAs are real commits. Each check queries git once for the whole
 * batch. Claims are looked up as literal object ids and the returned full id must start with the
 * claimed hex, so a ref whose name looks like hex (a branch {@code cafe1234}) cannot ground a claim,
 * and an annotated tag is not the commit it points to.
 */
public final class ShaVerifier {

    private static final int MIN_HEX = 4;
    private static final int SHA1_HEX = 40;
    private static final int SHA256_HEX = 64;

    private final GitObjectLookup git;

    public ShaVerifier(GitObjectLookup git) {
        this.git = Objects.requireNonNull(git, "git");
    }

    /** True when the claim is 4 to 40 hex digits, or exactly 64 (SHA-256 repositories). */
    public static boolean isWellFormed(String claim) {
        if (claim == null) {
            return false;
        }
        int n = claim.length();
        if (n < MIN_HEX || (n > SHA1_HEX && n != SHA256_HEX)) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = claim.charAt(i);
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!hex) {
                return false;
            }
        }
        return true;
    }

    public static boolean allGrounded(List<GroundedResult> results) {
        return !results.isEmpty() && results.stream().allMatch(GroundedResult::grounded);
    }

    /** The grounded check, one git round trip for all well-formed claims. */
    public List<GroundedResult> verifyGrounded(List<String> claims) {
        List<String> queries = new ArrayList<>();
        for (String c : claims) {
            if (isWellFormed(c)) {
                queries.add(c.toLowerCase(Locale.ROOT));
            }
        }
        List<ObjectInfo> answers;
        String unavailable = null;
        try {
            answers = queries.isEmpty() ? List.of() : git.lookup(queries);
            if (answers.size() != queries.size()) {
                throw new GitUnavailableException(
                        "git answered " + answers.size() + " of " + queries.size() + " queries");
            }
        } catch (GitUnavailableException e) {
            answers = List.of();
            unavailable = e.getMessage();
        }
        List<GroundedResult> out = new ArrayList<>(claims.size());
        int q = 0;
        for (String claim : claims) {
            if (!isWellFormed(claim)) {
                out.add(new GroundedResult(claim, GroundedVerdict.FABRICATED, null, "not 4-40 or 64 hex digits"));
                continue;
            }
            if (unavailable != null) {
                out.add(new GroundedResult(claim, GroundedVerdict.UNVERIFIABLE, null, unavailable));
                q++;
                continue;
            }
            out.add(judge(claim, answers.get(q++)));
        }
        return out;
    }

    private static GroundedResult judge(String claim, ObjectInfo info) {
        String lower = claim.toLowerCase(Locale.ROOT);
        return switch (info.status()) {
            case MISSING -> new GroundedResult(claim, GroundedVerdict.FABRICATED, null, "no such object");
            case AMBIGUOUS -> new GroundedResult(
                    claim, GroundedVerdict.AMBIGUOUS, null, "prefix matches several objects");
            case FOUND -> {
                String oid = info.oid() == null ? "" : info.oid().toLowerCase(Locale.ROOT);
                if (!oid.startsWith(lower)) {
                    yield new GroundedResult(
                            claim,
                            GroundedVerdict.FABRICATED,
                            null,
                            "resolves through a ref to " + info.type() + " " + oid + ", not an object with this id");
                }
                if (!"commit".equals(info.type())) {
                    yield new GroundedResult(
                            claim,
                            GroundedVerdict.FABRICATED,
                            null,
                            "object " + oid + " is a " + info.type() + ", not a commit");
                }
                yield new GroundedResult(claim, GroundedVerdict.GROUNDED, oid, null);
            }
        };
    }

    /**
     * The isomorphic check: the literal verdict compared with the commits a second git command
     * resolves for the same names. One lookup pass plus one resolve pass for the whole batch.
     */
    public List<IsoResult> verifyIsomorphic(List<String> claims) {
        List<GroundedResult> literal = verifyGrounded(claims);
        List<String> queries = new ArrayList<>();
        for (String c : claims) {
            if (isWellFormed(c)) {
                queries.add(c.toLowerCase(Locale.ROOT));
            }
        }
        Set<String> resolved;
        String unavailable = null;
        try {
            resolved = queries.isEmpty() ? Set.of() : git.resolveCommits(queries);
        } catch (GitUnavailableException e) {
            resolved = Set.of();
            unavailable = e.getMessage();
        }
        List<IsoResult> out = new ArrayList<>(claims.size());
        for (GroundedResult lit : literal) {
            String claim = lit.claim();
            if (lit.verdict() == GroundedVerdict.UNVERIFIABLE || (unavailable != null && isWellFormed(claim))) {
                out.add(new IsoResult(
                        claim, IsoVerdict.UNVERIFIABLE, lit.detail() != null ? lit.detail() : unavailable));
                continue;
            }
            String second = null;
            int matches = 0;
            if (isWellFormed(claim)) {
                String lower = claim.toLowerCase(Locale.ROOT);
                for (String oid : resolved) {
                    if (oid.toLowerCase(Locale.ROOT).startsWith(lower)) {
                        second = oid.toLowerCase(Locale.ROOT);
                        matches++;
                    }
                }
            }
            boolean secondFound = matches == 1;
            if (lit.grounded() && secondFound && second.equals(lit.oid())) {
                out.add(new IsoResult(claim, IsoVerdict.CONSISTENT, lit.oid()));
            } else if (!lit.grounded() && !secondFound) {
                out.add(new IsoResult(claim, IsoVerdict.CONSISTENT_ABSENT, lit.verdict() + ": " + lit.detail()));
            } else {
                out.add(new IsoResult(
                        claim,
                        IsoVerdict.GAP,
                        "literal " + lit.verdict() + (lit.oid() != null ? " " + lit.oid() : "") + ", re-derived "
                                + (secondFound ? second : matches == 0 ? "nothing" : matches + " commits")));
            }
        }
        return out;
    }
}
