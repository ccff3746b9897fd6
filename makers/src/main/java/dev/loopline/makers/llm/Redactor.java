package dev.loopline.makers.llm;

import java.nio.charset.StandardCharsets;

/**
 * Removes the run's API key from text that leaves the maker: tool results (which go to the provider), the summary,
 * error messages and log lines. The key never reaches a child process's environment, but a command can still find
 * it (the agent's own environment is readable to processes of the same user), so whatever comes back is cleaned.
 */
public final class Redactor {

    static final String MASK = "[redacted]";

    /**
     * Shorter keys are placeholders for servers that check none ({@code ANTHROPIC_API_KEY=x} for a local endpoint);
     * masking them would garble every result that contains the letter, and finding them in a file means nothing.
     */
    static final int MIN_SECRET_LENGTH = 8;

    private final String secret;

    public Redactor(String secret) {
        this.secret = secret == null || secret.length() < MIN_SECRET_LENGTH ? null : secret;
    }

    public String redact(String text) {
        if (text == null || secret == null) {
            return text;
        }
        return text.replace(secret, MASK);
    }

    boolean containsSecret(byte[] bytes) {
        return secret != null && indexOf(bytes, secret.getBytes(StandardCharsets.UTF_8)) >= 0;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
