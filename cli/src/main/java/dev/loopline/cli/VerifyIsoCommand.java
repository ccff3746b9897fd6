package dev.loopline.cli;

import dev.loopline.core.verify.GitObjectLookup;
import dev.loopline.core.verify.IsoResult;
import dev.loopline.core.verify.IsoVerdict;
import dev.loopline.core.verify.ShaVerifier;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "verify-iso",
        description = "Check claimed commit SHAs twice, by literal lookup and by an independent re-derivation,"
                + " and compare. Exit 4 if any claim is unverifiable, else 8 if the two disagree on any (a gap),"
                + " else 3 if any claim names no commit (fabricated, ambiguous or absent), else 0.")
class VerifyIsoCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "<repo>", description = "The repository directory.")
    String repo;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "<sha>", description = "The claimed commit SHAs.")
    List<String> shas;

    @Option(names = "--json", description = "Print {consistent, gap, unverifiable, claims:[{sha, verdict, detail}]}.")
    boolean json;

    Function<Path, GitObjectLookup> git = Repos.GIT_CLI;

    record Claim(String sha, String verdict, String detail) implements GuardJson.Writable {
        @Override
        public void write(GuardJson.Fields json) throws IOException {
            json.string("sha", sha).string("verdict", verdict).string("detail", detail);
        }
    }

    /** {@code consistent}: every claim is a commit both ways; {@code gap}/{@code unverifiable}: any claim is. */
    record Report(boolean consistent, boolean gap, boolean unverifiable, List<Claim> claims)
            implements GuardJson.Writable {
        @Override
        public void write(GuardJson.Fields json) throws IOException {
            json.bool("consistent", consistent)
                    .bool("gap", gap)
                    .bool("unverifiable", unverifiable)
                    .objects("claims", claims);
        }
    }

    @Override
    public Integer call() {
        List<IsoResult> results;
        try (GitObjectLookup lookup = Repos.lookup(repo, git)) {
            results = new ShaVerifier(lookup).verifyIsomorphic(shas);
        }
        PrintStream out = Inputs.stdout();
        if (json) {
            out.println(GuardJson.write(new Report(
                    all(results, IsoVerdict.CONSISTENT),
                    any(results, IsoVerdict.GAP),
                    any(results, IsoVerdict.UNVERIFIABLE),
                    results.stream()
                            .map(r -> new Claim(r.claim(), GuardJson.word(r.verdict()), r.detail()))
                            .toList())));
        } else {
            for (IsoResult r : results) {
                out.printf("%-17s %s  %s%n", GuardJson.word(r.verdict()), r.claim(), r.detail());
            }
        }
        out.flush();
        return exitCode(results);
    }

    /**
     * The earlier tool exited 0 for a claim both derivations agree is no commit; a fabricated claim is not a
     * success, so it exits 3 here.
     */
    static int exitCode(List<IsoResult> results) {
        if (any(results, IsoVerdict.UNVERIFIABLE)) {
            return ExitCodes.UNVERIFIABLE;
        }
        if (any(results, IsoVerdict.GAP)) {
            return ExitCodes.ISO_GAP;
        }
        return all(results, IsoVerdict.CONSISTENT) ? ExitCodes.OK : ExitCodes.FABRICATED;
    }

    private static boolean any(List<IsoResult> results, IsoVerdict verdict) {
        return results.stream().anyMatch(r -> r.verdict() == verdict);
    }

    private static boolean all(List<IsoResult> results, IsoVerdict verdict) {
        return !results.isEmpty() && results.stream().allMatch(r -> r.verdict() == verdict);
    }
}
