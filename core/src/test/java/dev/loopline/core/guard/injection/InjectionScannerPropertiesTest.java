package dev.loopline.core.guard.injection;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;

class InjectionScannerPropertiesTest {
    private final InjectionScanner scanner = InjectionScanner.defaults();

    @Provide
    Arbitrary<String> attackSoup() {
        return Arbitraries.of(
                        "ignore",
                        "all",
                        "previous",
                        "instructions",
                        "system:",
                        "\n",
                        "<|im_start|>",
                        "you are now",
                        "DAN",
                        "send",
                        "api key",
                        "https://x",
                        "curl",
                        "$API_KEY",
                        "%49",
                        "&#73;",
                        "\\x41",
                        "\u200b",
                        "\u202e",
                        "SWdub3JlIGFsbCBwcmV2aW91cyBpbnN0cnVjdGlvbnM=",
                        "忽略",
                        "指令",
                        "Игнорируй",
                        "Ｉ",
                        "𝐈",
                        ".",
                        "&",
                        "%",
                        "\\u00",
                        "=",
                        "#",
                        "```system",
                        "run",
                        "bash",
                        "é")
                .list()
                .ofMaxSize(40)
                .map(parts -> String.join(" ", parts));
    }

    @Property(tries = 1000)
    void neverThrowsAndKeepsEvidenceShort(@ForAll @StringLength(max = 400) String text) {
        ScanResult r = scanner.scan(text);
        assertThat(r.severity()).isNotNull();
        assertThat(r.signals())
                .allSatisfy(s -> assertThat(s.evidence().length()).isLessThanOrEqualTo(80));
    }

    @Property(tries = 1500)
    void neverThrowsOnAttackFragments(@ForAll("attackSoup") String text) {
        ScanResult r = scanner.scan(text);
        assertThat(r.signals()).allSatisfy(s -> {
            assertThat(s.evidence().length()).isLessThanOrEqualTo(Signal.MAX_EVIDENCE);
            assertThat(s.offset()).isBetween(0, text.length());
        });
        if (!r.signals().isEmpty()) {
            assertThat(r.severity()).isNotEqualTo(Severity.NONE);
        }
    }

    @Property(tries = 500)
    void appendingTextNeverBreaksTheScan(@ForAll("attackSoup") String a, @ForAll("attackSoup") String b) {
        ScanResult whole = scanner.scan(a + b);
        assertThat(whole.signals()).allSatisfy(s -> assertThat(s.evidence()).hasSizeLessThanOrEqualTo(80));
        assertThat(whole.severity()).isNotNull();
    }

    @Property(tries = 300)
    void overallSeverityIsAtLeastEverySignal(@ForAll("attackSoup") String text) {
        ScanResult r = scanner.scan(text);
        for (Signal s : r.signals()) {
            assertThat(r.severity()).isGreaterThanOrEqualTo(s.severity());
        }
    }
}
