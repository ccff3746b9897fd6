package dev.loopline.scheduler.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SignatureVerifierTest {

    private static final String SECRET = "It's a Secret to Everybody";
    private static final String BODY = "Hello, World!";

    @Test
    void matchesGitHubsPublishedTestVector() {
        // from GitHub's docs, "Validating webhook deliveries": this secret and payload give this signature
        assertThat(SignatureVerifier.githubSignatureValid(
                        SECRET,
                        BODY.getBytes(StandardCharsets.UTF_8),
                        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"))
                .isTrue();
    }

    @Test
    void aValidSignatureOfARealPayloadIsAccepted() {
        String body = Payloads.text("github-push.json");
        assertThat(SignatureVerifier.githubSignatureValid(
                        "s3cret", body.getBytes(StandardCharsets.UTF_8), Payloads.githubSignature("s3cret", body)))
                .isTrue();
    }

    @Test
    void aSignatureWithAnotherSecretIsRefused() {
        String body = Payloads.text("github-push.json");
        assertThat(SignatureVerifier.githubSignatureValid(
                        "s3cret", body.getBytes(StandardCharsets.UTF_8), Payloads.githubSignature("guess", body)))
                .isFalse();
    }

    @Test
    void aBodyChangedByOneByteIsRefused() {
        String body = Payloads.text("github-push.json");
        String signature = Payloads.githubSignature("s3cret", body);
        String tampered = body.replace("acme/widgets", "acme/widgetz");
        assertThat(SignatureVerifier.githubSignatureValid(
                        "s3cret", tampered.getBytes(StandardCharsets.UTF_8), signature))
                .isFalse();
    }

    @Test
    void missingMalformedOrSha1SignaturesAreRefused() {
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        String valid = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
        assertThat(SignatureVerifier.githubSignatureValid(SECRET, body, null)).isFalse();
        assertThat(SignatureVerifier.githubSignatureValid(SECRET, body, "")).isFalse();
        assertThat(SignatureVerifier.githubSignatureValid(SECRET, body, valid.substring(7)))
                .isFalse();
        assertThat(SignatureVerifier.githubSignatureValid(SECRET, body, "sha1=" + valid.substring(7)))
                .isFalse();
        assertThat(SignatureVerifier.githubSignatureValid(SECRET, body, valid.substring(0, valid.length() - 2)))
                .isFalse();
        assertThat(SignatureVerifier.githubSignatureValid(SECRET, body, valid.replace('7', 'z')))
                .isFalse();
    }

    @Test
    void anEmptySecretNeverVerifies() {
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        assertThat(SignatureVerifier.githubSignatureValid("", body, Payloads.githubSignature("x", BODY)))
                .isFalse();
        assertThat(SignatureVerifier.gitlabTokenValid("", "")).isFalse();
    }

    @Test
    void gitlabTokenMustEqualTheSecret() {
        assertThat(SignatureVerifier.gitlabTokenValid("gl-token", "gl-token")).isTrue();
        assertThat(SignatureVerifier.gitlabTokenValid("gl-token", "gl-tokeN")).isFalse();
        assertThat(SignatureVerifier.gitlabTokenValid("gl-token", "gl-token ")).isFalse();
        assertThat(SignatureVerifier.gitlabTokenValid("gl-token", "gl-tok")).isFalse();
        assertThat(SignatureVerifier.gitlabTokenValid("gl-token", null)).isFalse();
    }
}
