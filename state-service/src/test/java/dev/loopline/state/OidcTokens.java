package dev.loopline.state;

import dev.loopline.testsupport.oidc.OidcProviderStub;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.Key;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

/** Mints OIDC tokens as {@link OidcProviderStub} does, and steers the {@link OidcIssuerStub} the application trusts. */
public final class OidcTokens {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private OidcTokens() {}

    public static String issuer() {
        return ConfigProvider.getConfig().getValue("loopline.auth.oidc.issuer", String.class);
    }

    /** Claims of a token the application accepts: its issuer and audience, five minutes to live. */
    public static JwtClaims claims(String issuer, String user, List<String> groups) {
        return OidcProviderStub.accessTokenClaims(
                issuer, List.of(OidcIssuerStub.AUDIENCE, "account"), OidcProviderStub.User.of(user, groups));
    }

    public static JwtClaims claims(String user, List<String> groups) {
        return claims(issuer(), user, groups);
    }

    public static String sign(JwtClaims claims, JsonWebKey key) {
        return sign(claims, key, AlgorithmIdentifiers.RSA_USING_SHA256);
    }

    public static String sign(JwtClaims claims, Key key, String kid, String algorithm) {
        return OidcProviderStub.sign(claims, key, kid, algorithm);
    }

    public static String sign(JwtClaims claims, JsonWebKey key, String algorithm) {
        return sign(claims, privateKey(key), key.getKeyId(), algorithm);
    }

    /** A token of the stub's newest key. */
    public static String token(String user, List<String> groups) {
        return sign(claims(user, groups), signingKey());
    }

    public static JsonWebKey signingKey() {
        return jwk(control("GET", "/signing-key"));
    }

    /** Publishes a new key with a new kid; answers it. */
    public static JsonWebKey rotate() {
        return jwk(control("POST", "/rotate"));
    }

    public static void stopIssuer() {
        control("POST", "/issuer/stop");
    }

    public static void startIssuer() {
        control("POST", "/issuer/start");
    }

    public static JsonWebKey jwk(String json) {
        try {
            return JsonWebKey.Factory.newJwk(json);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Key privateKey(JsonWebKey key) {
        return ((PublicJsonWebKey) key).getPrivateKey();
    }

    private static String control(String method, String path) {
        String base = ConfigProvider.getConfig().getValue(OidcIssuerStub.CONTROL_URL_PROPERTY, String.class);
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(path + " answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
