package dev.loopline.core.plan;

import java.util.List;

/**
 * Paths Loopline never merges unattended, whatever a spec allows: they are added to every effective deny
 * list. (To be replaced by the default list of {@code dev.loopline.core.policy.AllowlistPolicy} once it is
 * on main, so there is one list.)
 */
public final class DefaultDeny {

    public static final List<String> GLOBS = List.of(
            ".git/**",
            ".github/workflows/**",
            "**/.env",
            "**/.env.*",
            "**/*.pem",
            "**/*.key",
            "**/secrets/**",
            "**/credentials/**",
            "**/auth/**",
            "**/payments/**",
            "**/billing/**",
            "**/migrations/**",
            "**/Dockerfile*",
            "**/*.tf",
            "**/k8s/**");

    private DefaultDeny() {}
}
