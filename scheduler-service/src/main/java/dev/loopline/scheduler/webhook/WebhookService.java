package dev.loopline.scheduler.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.loopline.scheduler.service.LoopRegistry;
import dev.loopline.scheduler.service.TriggerRefusedException;
import dev.loopline.scheduler.service.TriggerService;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.TickTriggered;
import dev.loopline.schemas.spec.LoopSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Triggers every loop whose {@code on} entries match a delivery, through the scheduler's own trigger path
 * (so paused, halted, L0 and busy loops are refused exactly as a manual trigger is). The loops matched are
 * the scheduler's registered ones (its last reload of the spec directory; no file is read per delivery).
 */
@ApplicationScoped
public class WebhookService {

    static final String TRIGGER_KIND = "webhook";
    private static final Logger LOG = Logger.getLogger(WebhookService.class);

    /** A loop a delivery triggered, with its tick. */
    public record Triggered(String loop, String tickId) {}

    /** A loop whose trigger matched but that was not triggered: {@code reason} is a slug, detail says more. */
    public record Skipped(String loop, String reason, String detail) {}

    /** What one delivery did. {@code ignored} says why a verified delivery could not trigger anything. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Dispatch(String delivery, List<Triggered> triggered, List<Skipped> skipped, String ignored) {}

    private final LoopRegistry loops;
    private final TriggerService triggers;

    public WebhookService(LoopRegistry loops, TriggerService triggers) {
        this.loops = loops;
        this.triggers = triggers;
    }

    public Dispatch dispatch(WebhookEvent event) {
        TickTriggered.Trigger trigger =
                new TickTriggered.Trigger(TRIGGER_KIND, event.source().wireName() + ":" + event.deliveryId(), null);
        List<Triggered> triggered = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (LoopSpec spec : loops.specs()) {
            if (EventTriggerMatcher.firstMatch(spec, event) == null) {
                continue;
            }
            try {
                Event tick = triggers.triggerByEvent(spec.id(), trigger);
                triggered.add(new Triggered(spec.id(), tick.tickId()));
            } catch (TriggerRefusedException e) {
                skipped.add(new Skipped(spec.id(), slug(e.reason()), e.getMessage()));
            }
        }
        LOG.infof(
                "%s: triggered %s, skipped %s",
                event, triggered, skipped.stream().map(Skipped::loop).toList());
        return new Dispatch(event.deliveryId(), triggered, skipped, null);
    }

    static String slug(TriggerRefusedException.Reason reason) {
        return reason.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
