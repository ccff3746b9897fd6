package dev.loopline.schemas.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.schemas.json.SchemaValidator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code ChangeProposed.findings}: optional, so proposals without it (all of schema v1–v3 so far) stay valid. */
class ProposalFindingsTest {

    private static ChangeProposed proposal(List<Finding> findings) {
        ChangeProposed sample = SampleEvents.all().get(1).dataAs(ChangeProposed.class);
        return new ChangeProposed(
                sample.baseRef(),
                sample.baseSha(),
                sample.diff(),
                sample.diffSha256(),
                sample.files(),
                sample.summary(),
                new ChangeProposed.MakerInfo("claude-code", "claude-sonnet-4-5"),
                sample.usage(),
                sample.tickTokens(),
                sample.spec(),
                findings);
    }

    @Test
    void aProposalWithFindingsValidatesAndSurvivesTheRoundTrip() throws Exception {
        Finding blocked = new Finding(
                "fs-recursive-delete",
                Finding.Severity.HIGH,
                "claude-code Bash call blocked: recursive or wide deletion of files",
                null,
                null,
                "rm -rf /");
        Event event =
                Event.of("test", SampleEvents.TIME, "docs-changelog", "t-1", "platform", 1, proposal(List.of(blocked)));

        String json = EventCodec.encode(event);

        assertThat(SchemaValidator.get().validate(SchemaValidator.ENVELOPE, json))
                .isEmpty();
        assertThat(EventCodec.decode(json).dataAs(ChangeProposed.class).findings())
                .containsExactly(blocked);
    }

    @Test
    void noFindingsAreLeftOutOfTheJson() throws Exception {
        Event event = Event.of("test", SampleEvents.TIME, "docs-changelog", "t-1", "platform", 1, proposal(List.of()));

        assertThat(EventCodec.encode(event)).doesNotContain("findings");
        assertThat(event.dataAs(ChangeProposed.class).findings()).isNull();
    }

    @Test
    void theFrozenProposalWithFindingsDecodes() throws Exception {
        Event event = EventCodec.decode(read("compat/v3/loopline.change.proposed.findings.json"));

        ChangeProposed proposed = event.dataAs(ChangeProposed.class);
        assertThat(proposed.findings())
                .extracting(Finding::ruleId)
                .containsExactly("tainted-network", "injection-instruction-override");
        assertThat(proposed.maker().type()).isEqualTo("claude-code");
    }

    private static String read(String resource) throws IOException {
        try (InputStream in = ProposalFindingsTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as("frozen sample %s", resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
