package dev.loopline.state.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.core.auth.Caller;
import dev.loopline.core.auth.Role;
import dev.loopline.state.OidcIssuerStub;
import dev.loopline.state.OidcTokens;
import dev.loopline.state.auth.OidcVerifier.Authenticated;
import dev.loopline.state.auth.OidcVerifier.KeysUnavailable;
import dev.loopline.state.auth.OidcVerifier.NoLooplineGroup;
import dev.loopline.state.auth.OidcVerifier.Outcome;
import dev.loopline.state.auth.OidcVerifier.Refused;
import dev.loopline.testsupport.oidc.OidcProviderStub;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The verifier on its own, against a real issuer (JDK HTTP server), for what the shared application cannot show. */
class OidcVerifierTest {

    private static final OidcProviderStub ISSUER = new OidcProviderStub();
    private static JsonWebKey key;

    @BeforeAll
    static void startIssuer() {
        ISSUER.start();
        key = OidcTokens.jwk(ISSUER.signingKey());
    }

    @AfterAll
    static void stopIssuer() {
        ISSUER.stop();
    }

    @Test
    void failedDiscoveryIsRetriedByTheNextToken() {
        OidcVerifier verifier = verifier(ISSUER.issuer(), Optional.empty());
        String token = OidcTokens.sign(OidcTokens.claims(ISSUER.issuer(), "dee", List.of("loopline-viewer")), key);
        ISSUER.stop();

        Outcome down = verifier.verify(token);
        assertThat(down).isInstanceOf(KeysUnavailable.class);
        assertThat(((KeysUnavailable) down).cause())
                .contains("ConnectException")
                .doesNotContain(token);

        ISSUER.start(); // same port: each verifier discovers on its own, so the other tests find the issuer up again
        assertThat(verifier.verify(token))
                .isEqualTo(new Authenticated(new Caller("oidc:dee", Role.VIEWER, null, false)));
    }

    @Test
    void ellipticCurveAndRsaPssSignaturesAreAccepted() {
        // the issuer publishes an EC key next to its RSA one, as a provider offering ES256 does
        JsonWebKey ec = OidcTokens.jwk(ISSUER.addEcKey());
        OidcVerifier verifier = verifier(ISSUER.issuer(), Optional.empty());
        Authenticated viewer = new Authenticated(new Caller("oidc:eve", Role.VIEWER, null, false));
        assertThat(verifier.verify(OidcTokens.sign(
                        OidcTokens.claims(ISSUER.issuer(), "eve", List.of("loopline-viewer")),
                        ec,
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)))
                .isEqualTo(viewer);
        assertThat(verifier.verify(OidcTokens.sign(
                        OidcTokens.claims(ISSUER.issuer(), "eve", List.of("loopline-viewer")),
                        key,
                        AlgorithmIdentifiers.RSA_PSS_USING_SHA256)))
                .isEqualTo(viewer);
        // the EC key's signature under the RSA key's kid is not the issuer's
        assertThat(verifier.verify(OidcTokens.sign(
                        OidcTokens.claims(ISSUER.issuer(), "eve", List.of("loopline-viewer")),
                        ((org.jose4j.jwk.PublicJsonWebKey) ec).getPrivateKey(),
                        key.getKeyId(),
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)))
                .isInstanceOf(Refused.class);
    }

    @Test
    void discoveryDocumentOfAnotherIssuerIsNotTrusted() {
        // the ISSUER's document names http://127.0.0.1:<port>, not .../ with a slash
        String configured = ISSUER.issuer() + "/";
        OidcVerifier verifier = verifier(configured, Optional.empty());
        Outcome outcome =
                verifier.verify(OidcTokens.sign(OidcTokens.claims(configured, "dee", List.of("loopline-viewer")), key));
        assertThat(outcome).isInstanceOf(KeysUnavailable.class);
        assertThat(((KeysUnavailable) outcome).cause()).contains("names issuer '" + ISSUER.issuer() + "'");
    }

    @Test
    void configuredKeySetUrlIsUsedWithoutDiscovery() {
        OidcVerifier verifier = verifier(ISSUER.issuer(), Optional.of(ISSUER.issuer() + "/jwks"));
        assertThat(verifier.verify(
                        OidcTokens.sign(OidcTokens.claims(ISSUER.issuer(), "kay", List.of("loopline-admin")), key)))
                .isEqualTo(new Authenticated(new Caller("oidc:kay", Role.ADMIN, null, false)));
        OidcVerifier wrongUrl = verifier(ISSUER.issuer(), Optional.of(ISSUER.issuer() + "/no-such-keys"));
        assertThat(wrongUrl.verify(
                        OidcTokens.sign(OidcTokens.claims(ISSUER.issuer(), "kay", List.of("loopline-admin")), key)))
                .isInstanceOf(KeysUnavailable.class);
    }

    @Test
    void rolesClaimMayBeANestedPath() {
        OidcVerifier verifier = new OidcVerifier(new OidcVerifier.Settings(
                ISSUER.issuer(),
                OidcIssuerStub.AUDIENCE,
                Optional.empty(),
                "realm_access.roles",
                Duration.ofSeconds(30),
                Duration.ofSeconds(5),
                mapping()));
        JwtClaims claims = OidcTokens.claims(ISSUER.issuer(), "rhea", null);
        claims.setClaim("realm_access", Map.of("roles", List.of("offline_access", "loopline-operator")));
        assertThat(verifier.verify(OidcTokens.sign(claims, key)))
                .isEqualTo(new Authenticated(new Caller("oidc:rhea", Role.OPERATOR, null, false)));

        JwtClaims groupsOnly = OidcTokens.claims(ISSUER.issuer(), "rhea", List.of("loopline-operator"));
        assertThat(verifier.verify(OidcTokens.sign(groupsOnly, key)))
                .isEqualTo(new NoLooplineGroup(
                        "oidc:rhea", "realm_access.roles", mapping().describe()));
    }

    @Test
    void expiryWithinTheClockSkewIsAccepted() {
        OidcVerifier verifier = verifier(ISSUER.issuer(), Optional.empty());
        JwtClaims claims = OidcTokens.claims(ISSUER.issuer(), "sid", List.of("loopline-viewer"));
        claims.setIssuedAt(NumericDate.fromSeconds(NumericDate.now().getValue() - 600));
        claims.setExpirationTimeMinutesInTheFuture(-0.25f); // 15 s ago, skew 30 s
        assertThat(verifier.verify(OidcTokens.sign(claims, key))).isInstanceOf(Authenticated.class);
        claims.setExpirationTimeMinutesInTheFuture(-1);
        assertThat(verifier.verify(OidcTokens.sign(claims, key))).isEqualTo(new Refused("it has expired"));
    }

    @Test
    void unusableSubjectIsRefused() {
        OidcVerifier verifier = verifier(ISSUER.issuer(), Optional.empty());
        JwtClaims claims = OidcTokens.claims(ISSUER.issuer(), "x".repeat(200), List.of("loopline-viewer"));
        assertThat(verifier.verify(OidcTokens.sign(claims, key))).isInstanceOf(Refused.class);
        claims.setClaim("preferred_username", "line\nbreak");
        claims.setSubject("fine-sub");
        assertThat(verifier.verify(OidcTokens.sign(claims, key)))
                .isEqualTo(new Authenticated(new Caller("oidc:fine-sub", Role.VIEWER, null, false)));
    }

    @Test
    void onlyThreeBase64UrlPartsLookLikeAJwt() {
        assertThat(OidcVerifier.looksLikeJwt("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"))
                .isTrue();
        assertThat(OidcVerifier.looksLikeJwt("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."))
                .isTrue();
        assertThat(OidcVerifier.looksLikeJwt("llt_AbC-dEf_123")).isFalse();
        assertThat(OidcVerifier.looksLikeJwt("a.b")).isFalse();
        assertThat(OidcVerifier.looksLikeJwt("a.b.c.d.e")).isFalse();
        assertThat(OidcVerifier.looksLikeJwt("a..c")).isFalse();
        assertThat(OidcVerifier.looksLikeJwt(".b.c")).isFalse();
        assertThat(OidcVerifier.looksLikeJwt("a.b+/.c")).isFalse();
        assertThat(OidcVerifier.looksLikeJwt("")).isFalse();
        assertThat(OidcVerifier.looksLikeJwt(null)).isFalse();
    }

    private static OidcRoleMapping mapping() {
        return new OidcRoleMapping("loopline-admin", "loopline-operator", "loopline-viewer", "loopline-approver:");
    }

    private static OidcVerifier verifier(String issuer, Optional<String> jwksUrl) {
        return new OidcVerifier(new OidcVerifier.Settings(
                issuer,
                OidcIssuerStub.AUDIENCE,
                jwksUrl,
                "groups",
                Duration.ofSeconds(30),
                Duration.ofSeconds(5),
                mapping()));
    }
}
