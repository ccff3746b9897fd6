package dev.loopline.core.triage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.schemas.events.TriageReport.Bucket;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommitBucketsTest {

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            fix: refuse an empty token                    | HIGH
            Fixes #12: crash on start                     | HIGH
            fixed the flaky clock                         | HIGH
            hotfix for the login page                     | HIGH
            bugfix: off by one                            | HIGH
            Security: bump the TLS floor                  | HIGH
            Patch CVE-2026-1234 in the parser             | HIGH
            vulnerability in the upload path              | HIGH
            Revert "Add the export endpoint"              | HIGH
            incident 42 follow-up                         | HIGH
            feat(api)!: FIX the pager                     | HIGH
            Add the export endpoint                       | WATCH
            prefix every metric with loopline             | WATCH
            debug logging for the scheduler               | WATCH
            suffix handling in globs                      | WATCH
            Merge branch 'fix/login' into main            | NOISE
            Merge pull request #7 from a/fix              | NOISE
            rustfmt                                       | NOISE
            clippy: silence a lint                        | NOISE
            chore(fmt): reformat                          | NOISE
            style: spotless apply                         | NOISE
            ''                                            | WATCH
            """)
    void bucketsASubjectLikeStrivesTriage(String subject, Bucket expected) {
        assertThat(CommitBuckets.bucket(new Commit("a".repeat(40), 1, subject))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0} parents, {1} -> {2}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            2 | fix: the merge of a fix branch   | NOISE
            3 | octopus                          | NOISE
            1 | fix: one parent                  | HIGH
            0 | fix: the root commit             | HIGH
            0 | Initial commit                   | WATCH
            """)
    void aMergeCommitIsNoiseWhateverItsSubject(int parents, String subject, Bucket expected) {
        assertThat(CommitBuckets.bucket(new Commit("b".repeat(40), parents, subject)))
                .isEqualTo(expected);
    }
}
