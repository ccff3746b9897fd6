package dev.loopline.guard.config;

import dev.loopline.core.io.Git;
import dev.loopline.core.io.GitMirror;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

public class GitMirrorProducer {

    @Produces
    @Singleton
    GitMirror gitMirror(GuardConfig config) {
        return new GitMirror(new Git("git", config.gitTimeout()), config.workDir());
    }
}
