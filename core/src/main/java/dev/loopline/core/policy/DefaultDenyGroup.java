package dev.loopline.core.policy;

import java.util.List;
import java.util.Locale;

/**
 * Named groups of the built-in deny list. They always apply, case-insensitively, unless a policy
 * removes a group explicitly by {@link #groupName()} (for example {@code "migrations"}).
 */
public enum DefaultDenyGroup {
    AUTH(
            "**/auth/**",
            "**/authn/**",
            "**/authz/**",
            "**/authentication/**",
            "**/authorization/**",
            "**/oauth/**",
            "**/oauth2/**",
            "**/*auth.*",
            "**/auth_*",
            "**/*authenticat*",
            "**/*authoriz*"),
    PAYMENTS("**/*payment*", "**/*payment*/**"),
    BILLING("**/*billing*", "**/*billing*/**"),
    SECRETS(
            "**/secrets/**",
            "**/secret/**",
            "**/*secret*",
            "**/*.pem",
            "**/*.key",
            "**/*.p12",
            "**/*.pfx",
            "**/*.jks",
            "**/*.keystore",
            "**/id_rsa*",
            "**/id_ed25519*"),
    CREDENTIALS(
            "**/credentials/**", "**/*credential*", "**/.npmrc", "**/.pypirc", "**/.netrc", "**/.docker/config.json"),
    MIGRATIONS(
            "**/migrations/**",
            "**/migration/**",
            "**/db/migrate/**",
            "**/alembic/**",
            "**/flyway/**",
            "**/liquibase/**",
            "**/V[0-9]*__*.sql"),
    CI(
            ".github/workflows/**",
            ".github/actions/**",
            ".gitlab-ci.yml",
            ".gitlab/ci/**",
            "**/Jenkinsfile*",
            ".circleci/**",
            "azure-pipelines*.yml",
            ".azure-pipelines/**",
            ".travis.yml",
            ".buildkite/**",
            "bitbucket-pipelines.yml",
            ".drone.yml"),
    ENV("**/.env", "**/.env.*", "**/*.env", "**/.envrc"),
    DOCKER("**/Dockerfile*", "**/*.dockerfile", "**/docker-compose*.yml", "**/docker-compose*.yaml"),
    INFRASTRUCTURE(
            "**/*.tf",
            "**/*.tfvars",
            "**/terraform/**",
            "**/k8s/**",
            "**/kubernetes/**",
            "**/helm/**",
            "**/deploy/**",
            "**/infra/**",
            "**/ansible/**",
            "**/*.bicep",
            "**/cloudformation/**"),
    /** Repository internals and files that hide or re-route what the verifier sees. */
    VCS(".git/**", "**/.git/**", ".gitmodules", "**/.gitignore", "**/.gitattributes"),
    /** The loop's own gate: an agent must not edit the policy that judges it. */
    LOOP_POLICY("**/gate.yaml", "**/gate.yml", ".loopline/**", "**/CODEOWNERS");

    private final List<String> globs;

    DefaultDenyGroup(String... globs) {
        this.globs = List.of(globs);
    }

    public List<String> globs() {
        return globs;
    }

    /** The name a spec uses to remove this group: lower case with dashes ({@code loop-policy}). */
    public String groupName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static DefaultDenyGroup byName(String name) {
        String key = name.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return DefaultDenyGroup.valueOf(key);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown default deny group '" + name + "'", e);
        }
    }

    /** Every built-in deny glob, in group order: what applies when a spec removes no group. */
    public static List<String> allGlobs() {
        return java.util.Arrays.stream(values())
                .flatMap(g -> g.globs().stream())
                .toList();
    }
}
