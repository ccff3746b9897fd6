package dev.loopline.cli;

import dev.loopline.core.verify.GitObjectLookup;
import dev.loopline.core.verify.GroundedResult;
import dev.loopline.core.verify.GroundedVerdict;
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
        name = "verify",
        description = "Check that claimed commit SHAs name commits that exist in a repository (a branch or tag"
                + " whose name looks like hex does not count). Exit 4 if any claim is unverifiable, else 3 if any"
                + " is fabricated or ambiguous, else 0.")
class VerifyCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "<repo>", description = "The repository directory.")
    String repo;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "<sha>", description = "The claimed commit SHAs.")
    List<String> shas;

    @Option(names = "--json", description = "Print {valid, claims:[{sha, verdict, oid, detail}]}.")
    boolean json;

    Function<Path, GitObjectLookup> git = Repos.GIT_CLI;

    record Claim(String sha, String verdict, String oid, String detail) implements GuardJson.Writable {
        @Override
        public void write(GuardJson.Fields json) throws IOException {
            json.string("sha", sha)
                    .string("verdict", verdict)
                    .string("oid", oid)
                    .string("detail", detail);
        }
    }

    record Report(boolean valid, List<Claim> claims) implements GuardJson.Writable {
        @Override
        public void write(GuardJson.Fields json) throws IOException {
            json.bool("valid", valid).objects("claims", claims);
        }
    }

    @Override
    public Integer call() {
        List<GroundedResult> results;
        try (GitObjectLookup lookup = Repos.lookup(repo, git)) {
            results = new ShaVerifier(lookup).verifyGrounded(shas);
        }
        boolean valid = ShaVerifier.allGrounded(results);
        PrintStream out = Inputs.stdout();
        if (json) {
            out.println(GuardJson.write(new Report(
                    valid,
                    results.stream()
                            .map(r -> new Claim(r.claim(), GuardJson.word(r.verdict()), r.oid(), r.detail()))
                            .toList())));
        } else {
            for (GroundedResult r : results) {
                out.printf(
                        "%-12s %s  %s%n",
                        GuardJson.word(r.verdict()), r.claim(), r.grounded() ? "commit " + r.oid() : r.detail());
            }
            out.println(valid ? "valid" : "NOT VALID");
        }
        out.flush();
        return exitCode(results);
    }

    static int exitCode(List<GroundedResult> results) {
        if (results.stream().anyMatch(r -> r.verdict() == GroundedVerdict.UNVERIFIABLE)) {
            return ExitCodes.UNVERIFIABLE;
        }
        return results.stream().allMatch(GroundedResult::grounded) ? ExitCodes.OK : ExitCodes.FABRICATED;
    }
}
