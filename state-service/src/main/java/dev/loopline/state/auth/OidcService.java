package dev.loopline.state.auth;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Optional OIDC: on when {@code loopline.auth.oidc.issuer} is set. Holds the one {@link OidcVerifier} (its key set
 * cache lives as long as the application) and logs an unreachable issuer once per outage, without any token.
 */
@ApplicationScoped
public class OidcService {

    private static final Logger LOG = Logger.getLogger(OidcService.class);

    @Inject
    AuthConfig auth;

    private volatile OidcVerifier verifier;
    private final AtomicBoolean keysFailing = new AtomicBoolean();

    /** A half-configured issuer would accept tokens meant for any client of it: refuse to start instead. */
    void check(@Observes StartupEvent start) {
        AuthConfig.Oidc oidc = auth.oidc();
        if (oidc.issuer().isEmpty()) {
            return;
        }
        String issuer = oidc.issuer().get();
        if (!issuer.startsWith("https://") && !issuer.startsWith("http://")) {
            throw new IllegalStateException("loopline.auth.oidc.issuer must be an http(s) URL, got '" + issuer + "'");
        }
        if (oidc.audience().isEmpty()) {
            throw new IllegalStateException("loopline.auth.oidc.audience (LOOPLINE_AUTH_OIDC_AUDIENCE) is required when"
                    + " loopline.auth.oidc.issuer is set: the client id / API audience tokens must be issued for");
        }
        LOG.infof(
                "OIDC bearer tokens accepted from issuer %s for audience %s (roles claim '%s')",
                issuer, oidc.audience().get(), oidc.rolesClaim());
    }

    public boolean enabled() {
        return auth.oidc().issuer().isPresent();
    }

    public String issuer() {
        return auth.oidc().issuer().orElse("");
    }

    /** Only when {@link #enabled()}; blocking. */
    public OidcVerifier.Outcome verify(String token) {
        OidcVerifier.Outcome outcome = verifier().verify(token);
        if (outcome instanceof OidcVerifier.KeysUnavailable unavailable) {
            if (keysFailing.compareAndSet(false, true)) {
                LOG.warnf(
                        "OIDC: the keys of issuer %s could not be fetched, bearer JWTs are refused (401) until they"
                                + " can be: %s",
                        issuer(), unavailable.cause());
            }
        } else if (outcome instanceof OidcVerifier.Authenticated || outcome instanceof OidcVerifier.NoLooplineGroup) {
            if (keysFailing.compareAndSet(true, false)) {
                LOG.infof("OIDC: tokens of issuer %s are verified again", issuer());
            }
        }
        return outcome;
    }

    private OidcVerifier verifier() {
        OidcVerifier v = verifier;
        if (v == null) {
            synchronized (this) {
                if (verifier == null) {
                    AuthConfig.Oidc oidc = auth.oidc();
                    verifier = new OidcVerifier(new OidcVerifier.Settings(
                            oidc.issuer().orElseThrow(),
                            oidc.audience().orElseThrow(),
                            oidc.jwksUrl(),
                            oidc.rolesClaim(),
                            oidc.clockSkew(),
                            oidc.fetchTimeout(),
                            new OidcRoleMapping(
                                    oidc.adminGroup(),
                                    oidc.operatorGroup(),
                                    oidc.viewerGroup(),
                                    oidc.approverGroupPrefix())));
                }
                v = verifier;
            }
        }
        return v;
    }
}
