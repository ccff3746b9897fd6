package dev.loopline.core.guard.injection;

import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The injection check on text that reaches a maker from outside the agent's control: the spec's task, and the
 * reflections (verdict reasons, test output) fed to the next attempt. Text rated {@code high} is refused;
 * lower ratings pass, since ordinary prose trips weak signals. Fails closed: text that cannot be scanned is
 * refused too. Shared by agent-service and {@code loopline run}, so both refuse the same texts.
 */
public final class UntrustedText {

    private final InjectionScanner scanner = InjectionScanner.defaults();

    /**
     * @param what names the text in the reason, e.g. {@code "the task"}
     * @return why the text must not reach a maker, or empty when it may
     */
    public Optional<String> refusal(String what, String text) {
        ScanResult result;
        try {
            result = scanner.scan(text);
        } catch (RuntimeException e) {
            return Optional.of(what + " could not be scanned for prompt injection: " + e);
        }
        if (result.severity() != Severity.HIGH) {
            return Optional.empty();
        }
        String signals = result.signals().stream()
                .filter(s -> s.severity().atLeast(Severity.MEDIUM))
                .map(UntrustedText::describe)
                .distinct()
                .collect(Collectors.joining(", "));
        return Optional.of(what + " looks like a prompt injection: " + signals);
    }

    private static String describe(Signal signal) {
        return "injection-" + signal.category().id() + " (\"" + signal.evidence() + "\")";
    }
}
