package dev.loopline.gate.chat;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Wires the framework-free Slack classes. */
public class ChatBeans {

    @Produces
    @Singleton
    SlackReplayGuard replayGuard(SlackConfig config) {
        return new SlackReplayGuard(config.replayWindow());
    }
}
