package dev.loopline.agent.config;

import dev.loopline.makers.claude.HookSessions;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

public class HookSessionsProducer {

    /** The claude-code runs in progress on this agent, answered by its hook route (shared with the CLI). */
    @Produces
    @Singleton
    HookSessions hookSessions() {
        return new HookSessions();
    }
}
