package dev.loopline.gate.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SlackSignatureTest {

    // Slack's published example ("Verifying requests from Slack"): secret, timestamp, slash-command body, signature
    private static final String DOC_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    private static final String DOC_TIMESTAMP = "1531420618";
    private static final byte[] DOC_BODY = ("token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
                    + "&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner"
                    + "&command=%2Fwebhook-collect&text="
                    + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
                    + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c")
            .getBytes(StandardCharsets.UTF_8);
    private static final String DOC_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    private static final Instant DOC_NOW = Instant.ofEpochSecond(1531420618 + 30);
    private static final Duration WINDOW = Duration.ofMinutes(5);

    @Test
    void reproducesSlacksPublishedExample() {
        assertThat(SlackSignature.sign(DOC_SECRET, DOC_TIMESTAMP, DOC_BODY)).isEqualTo(DOC_SIGNATURE);
        assertThat(SlackSignature.verify(DOC_SECRET, DOC_TIMESTAMP, DOC_SIGNATURE, DOC_BODY, DOC_NOW, WINDOW))
                .isEqualTo(SlackSignature.Check.VALID);
    }

    @Test
    void refusesATamperedBodyAWrongSecretAndAMalformedSignature() {
        byte[] tampered = new String(DOC_BODY, StandardCharsets.UTF_8)
                .replace("U2CERLKJA", "U2CERLKJB")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(SlackSignature.verify(DOC_SECRET, DOC_TIMESTAMP, DOC_SIGNATURE, tampered, DOC_NOW, WINDOW))
                .isEqualTo(SlackSignature.Check.FORGED);
        assertThat(SlackSignature.verify("another-secret", DOC_TIMESTAMP, DOC_SIGNATURE, DOC_BODY, DOC_NOW, WINDOW))
                .isEqualTo(SlackSignature.Check.FORGED);
        // the signature of the same body under another timestamp does not carry over
        assertThat(SlackSignature.verify(DOC_SECRET, "1531420619", DOC_SIGNATURE, DOC_BODY, DOC_NOW, WINDOW))
                .isEqualTo(SlackSignature.Check.FORGED);
        for (String malformed : new String[] {
            "", "v0=", "v1=" + DOC_SIGNATURE.substring(3), "v0=zz" + DOC_SIGNATURE.substring(5), DOC_SIGNATURE + "00"
        }) {
            assertThat(SlackSignature.verify(DOC_SECRET, DOC_TIMESTAMP, malformed, DOC_BODY, DOC_NOW, WINDOW))
                    .as(malformed)
                    .isEqualTo(SlackSignature.Check.FORGED);
        }
    }

    @Test
    void refusesTimestampsOutsideTheFiveMinuteWindowEitherWay() {
        Instant late = Instant.ofEpochSecond(1531420618 + 301);
        Instant early = Instant.ofEpochSecond(1531420618 - 301);
        assertThat(SlackSignature.verify(DOC_SECRET, DOC_TIMESTAMP, DOC_SIGNATURE, DOC_BODY, late, WINDOW))
                .isEqualTo(SlackSignature.Check.STALE);
        assertThat(SlackSignature.verify(DOC_SECRET, DOC_TIMESTAMP, DOC_SIGNATURE, DOC_BODY, early, WINDOW))
                .isEqualTo(SlackSignature.Check.STALE);
        assertThat(SlackSignature.verify(
                        DOC_SECRET,
                        DOC_TIMESTAMP,
                        DOC_SIGNATURE,
                        DOC_BODY,
                        Instant.ofEpochSecond(1531420618 + 300),
                        WINDOW))
                .isEqualTo(SlackSignature.Check.VALID);
        assertThat(SlackSignature.verify(DOC_SECRET, "soon", DOC_SIGNATURE, DOC_BODY, DOC_NOW, WINDOW))
                .isEqualTo(SlackSignature.Check.STALE);
    }

    @Test
    void refusesRequestsWithoutSignatureOrTimestamp() {
        assertThat(SlackSignature.verify(DOC_SECRET, null, DOC_SIGNATURE, DOC_BODY, DOC_NOW, WINDOW))
                .isEqualTo(SlackSignature.Check.UNSIGNED);
        assertThat(SlackSignature.verify(DOC_SECRET, DOC_TIMESTAMP, null, DOC_BODY, DOC_NOW, WINDOW))
                .isEqualTo(SlackSignature.Check.UNSIGNED);
    }

    @Test
    void replayGuardAcceptsASignatureOnceWithinTheWindow() {
        String upper = DOC_SIGNATURE.toUpperCase(java.util.Locale.ROOT).replace("V0=", "v0=");
        // hex is read in either case, so the replay guard must not tell the two apart
        assertThat(SlackSignature.verify(DOC_SECRET, DOC_TIMESTAMP, upper, DOC_BODY, DOC_NOW, WINDOW))
                .isEqualTo(SlackSignature.Check.VALID);
        SlackReplayGuard guard = new SlackReplayGuard(WINDOW);
        assertThat(guard.firstSeen(DOC_SIGNATURE, DOC_NOW)).isTrue();
        assertThat(guard.firstSeen(DOC_SIGNATURE, DOC_NOW.plusSeconds(299))).isFalse();
        assertThat(guard.firstSeen(upper, DOC_NOW))
                .as("the same signature in upper-case hex")
                .isFalse();
        assertThat(guard.firstSeen(DOC_SIGNATURE.replace('a', 'b'), DOC_NOW)).isTrue();
    }

    @Test
    void outboundWebhookSignatureIsHmacOfVersionTimestampAndBody() throws Exception {
        // the receiver's recipe from the README, computed with the JDK directly
        String body = "{\"event\":\"approval.opened\"}";
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec("s3cret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = "v1="
                + java.util.HexFormat.of()
                        .formatHex(mac.doFinal(("v1:1700000000:" + body).getBytes(StandardCharsets.UTF_8)));
        assertThat(OutboundWebhooks.sign("s3cret", "1700000000", body)).isEqualTo(expected);
        assertThat(OutboundWebhooks.sign("s3cret", "1700000001", body)).isNotEqualTo(expected);
    }
}
