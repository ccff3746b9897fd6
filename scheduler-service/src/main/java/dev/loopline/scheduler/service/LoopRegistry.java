package dev.loopline.scheduler.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.loopline.core.plan.SpecAuditor;
import dev.loopline.core.spec.LoadedSpec;
import dev.loopline.core.spec.LoopSpecReader;
import dev.loopline.core.spec.SpecLoadResult;
import dev.loopline.core.spec.SpecProblem;
import dev.loopline.scheduler.service.SchedulerStore.LoopState;
import dev.loopline.schemas.spec.LoopSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Which loops exist: reads the spec directory (at start and periodically, see {@code SchedulerJobs}), decides each
 * valid loop's level, lists the invalid files with their problems, and places the next slot of every loop whose
 * timing is new or changed. Only the specs are held in memory (in {@link SchedulerState}); one invalid spec never
 * stops the others, and an unreadable directory keeps the loops read before.
 */
@ApplicationScoped
public class LoopRegistry {

    private static final Logger LOG = Logger.getLogger(LoopRegistry.class);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final LoopSpecReader reader;
    private final SpecAuditor auditor = new SpecAuditor();
    private final SchedulerSettings settings;
    private final SchedulerStore store;
    private final SchedulerState state;

    public LoopRegistry(LoopSpecReader reader, SchedulerSettings settings, SchedulerStore store, SchedulerState state) {
        this.reader = reader;
        this.settings = settings;
        this.store = store;
        this.state = state;
    }

    /** Reads the spec directory again; specs that changed apply from now on. */
    public void reload() {
        SpecLoadResult result = reader.readDirectory(settings.specDir());
        Map<String, List<SpecProblem>> problemsByFile = new LinkedHashMap<>();
        for (SpecProblem p : result.problems()) {
            problemsByFile.computeIfAbsent(p.file(), f -> new ArrayList<>()).add(p);
        }
        if (problemsByFile.containsKey(settings.specDir().toString())
                && result.specs().isEmpty()) {
            // the directory itself is unreadable (for example mid-checkout): keep the loops we have
            LOG.warnf(
                    "cannot read spec directory: %s",
                    problemsByFile.get(settings.specDir().toString()));
            return;
        }
        Map<String, RegisteredLoop> next = new LinkedHashMap<>();
        for (LoadedSpec loaded : result.specs()) {
            LoopTiming timing;
            try {
                timing = LoopTiming.of(loaded.spec());
            } catch (LoopTiming.InvalidTimingException e) {
                String file = loaded.file().toString();
                problemsByFile
                        .computeIfAbsent(file, f -> new ArrayList<>())
                        .add(new SpecProblem(file, e.field(), e.getMessage()));
                continue;
            }
            LevelEnforcement.Decision level = settings.levelEnforcement().decide(auditor.audit(loaded.spec()));
            next.put(loaded.spec().id(), RegisteredLoop.of(loaded, timing, level));
        }
        List<LoopCatalog.Invalid> nextInvalid = new ArrayList<>();
        problemsByFile.forEach(
                (file, problems) -> nextInvalid.add(new LoopCatalog.Invalid(idOf(file), file, problems)));

        logChanges(state.catalog(), next, nextInvalid);
        List<String> ids = new ArrayList<>(next.keySet());
        nextInvalid.forEach(i -> ids.add(i.id()));
        store.ensureLoops(ids);
        state.replace(new LoopCatalog(Map.copyOf(next), List.copyOf(nextInvalid)));
        placeSlots(next.values());
    }

    /** The valid loops' specs as declared (before any level cap), from the last reload; no file is read. */
    public List<LoopSpec> specs() {
        return state.catalog().loops().values().stream()
                .map(RegisteredLoop::spec)
                .toList();
    }

    private static void logChanges(
            LoopCatalog before, Map<String, RegisteredLoop> next, List<LoopCatalog.Invalid> nextInvalid) {
        for (RegisteredLoop r : next.values()) {
            RegisteredLoop old = before.loops().get(r.id());
            if (old == null) {
                LOG.infof(
                        "loop %s registered from %s (hash %s)",
                        r.id(), r.loaded().file(), r.loaded().hash());
            } else if (!old.loaded().hash().equals(r.loaded().hash())) {
                LOG.infof(
                        "loop %s changed (hash %s -> %s)",
                        r.id(), old.loaded().hash(), r.loaded().hash());
            }
            if (r.level().reason() != null && (old == null || !r.level().equals(old.level()))) {
                LOG.warnf("loop %s: %s", r.id(), r.level().reason());
            }
        }
        for (LoopCatalog.Invalid i : nextInvalid) {
            if (before.invalid().stream()
                    .noneMatch(
                            old -> old.file().equals(i.file()) && old.problems().equals(i.problems()))) {
                LOG.warnf("invalid loop spec %s: %s", i.file(), i.problems());
            }
        }
    }

    /**
     * Gives every loop that runs by itself a next slot if it has none or its timing changed, and takes it from
     * loops that do not (held, paused in the spec, L0, not runnable). Compare-and-set: when two replicas
     * reload at once, the first one's slot stands.
     */
    private void placeSlots(Iterable<RegisteredLoop> loops) {
        Map<String, LoopState> states = store.states(settings.anomalyWindow());
        Instant now = state.now();
        for (RegisteredLoop r : loops) {
            LoopState s = states.getOrDefault(r.id(), LoopState.empty(r.id()));
            boolean timingChanged = !r.timingKey().equals(s.timingKey());
            if (!r.runsOnSchedule() || s.held()) {
                if (s.nextRunAt() != null || timingChanged) {
                    store.moveNextRun(r.id(), s.nextRunAt(), s.timingKey(), null, r.timingKey());
                }
            } else if (s.nextRunAt() == null || timingChanged) {
                Instant next = s.lastTriggeredAt() == null || r.timing().cron() != null
                        ? state.firstSlot(r, now, settings.firstRunJitter())
                        : state.slotAfter(r, s.lastTriggeredAt());
                store.moveNextRun(r.id(), s.nextRunAt(), s.timingKey(), next, r.timingKey());
            }
        }
    }

    /** The {@code id} an invalid file declares, if it can be read at all, else its name without extension. */
    private static String idOf(String file) {
        try {
            JsonNode node = YAML.readTree(Path.of(file).toFile());
            if (node != null
                    && node.path("id").isTextual()
                    && !node.path("id").asText().isBlank()) {
                return node.path("id").asText();
            }
        } catch (Exception ignored) {
            // unreadable or not YAML: fall back to the file name
        }
        String name = Path.of(file).getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
