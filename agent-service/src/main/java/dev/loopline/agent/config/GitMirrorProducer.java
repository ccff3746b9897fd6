package dev.loopline.agent.config;

import dev.loopline.agent.service.WorkerHome;
import dev.loopline.core.io.Git;
import dev.loopline.core.io.GitMirror;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

public class GitMirrorProducer {

    @Produces
    @Singleton
    GitMirror gitMirror(AgentConfig config) {
        return new GitMirror(new Git("git", config.gitTimeout()), config.workDir());
    }

    @Produces
    @Singleton
    WorkerHome workerHome(AgentConfig config) {
        return new WorkerHome(config.workDir());
    }
}
