package dev.loopline.agent.messaging;

import dev.loopline.schemas.control.ControlCodec;
import dev.loopline.schemas.control.ControlScope;
import dev.loopline.schemas.control.KillSwitch;
import dev.loopline.testsupport.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.time.Instant;
import java.util.Map;

/**
 * Publishes a kill of loop {@value #LOOP} on the control topic before the application starts: the agent is down
 * when the kill is published and must honour it once it is up. Declare it after {@code KafkaTestResource}.
 */
public class KillBeforeStartResource implements QuarkusTestResourceLifecycleManager {

    public static final String LOOP = "killed-before-start";
    public static final String BY = "alice-on-call";
    public static final String REASON = "killed while the agent was down";

    private String topic;

    @Override
    public void init(Map<String, String> initArgs) {
        topic = initArgs.get("topic");
    }

    @Override
    public Map<String, String> start() {
        KillSwitch kill = new KillSwitch(ControlScope.LOOP, LOOP, KillSwitch.State.KILLED, REASON, BY, Instant.now());
        KafkaTestClient.send(topic, kill.key(), ControlCodec.encode(kill));
        return Map.of();
    }

    /** After KafkaTestResource (order 0). */
    @Override
    public int order() {
        return 10;
    }

    @Override
    public void stop() {
        // the record stays on the shared broker; nothing to stop
    }
}
