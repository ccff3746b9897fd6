package dev.loopline.makers.claude;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loopline.schemas.json.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

/**
 * The files a claude-code run is started with: the settings ({@code --settings}) that install Loopline's hooks, and
 * the hook itself, a few lines of bash that hand each call to the agent over HTTP (ADR 0014). A JVM per hook call
 * would cost about half a second; bash and curl cost a few milliseconds.
 *
 * <p>The hook fails closed: unless the agent answers {@code 204} (allow) or {@code 200} (block, with the reason),
 * it exits 2, which blocks the call, and says why on stderr, which Claude reads.
 */
public final class ClaudeCodeSettings {

    public static final String HOOK_FILE = "loopline-hook";
    public static final String SETTINGS_FILE = "settings.json";

    /** Tools whose results are untrusted: scanned after the call, refused once the session is tainted. */
    public static final String UNTRUSTED_TOOLS = "WebFetch|WebSearch|mcp__.*";

    public static final String WRITE_TOOLS = "Write|Edit|MultiEdit|NotebookEdit";

    private ClaudeCodeSettings() {}

    /**
     * Writes the hook and the settings into {@code dir}.
     *
     * @param endpoint the session's hook URL ({@code …/api/v1/hooks/<token>})
     * @return the settings file
     */
    public static Path write(Path dir, URI endpoint, Duration hookTimeout, boolean webFetchPreflight)
            throws IOException {
        Path hook = dir.resolve(HOOK_FILE);
        Files.writeString(hook, script(endpoint, hookTimeout), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("r-x------"));
        Path settings = dir.resolve(SETTINGS_FILE);
        Files.writeString(
                settings,
                Json.mapper()
                        .writerWithDefaultPrettyPrinter()
                        .writeValueAsString(settings(hook, hookTimeout, webFetchPreflight)),
                StandardCharsets.UTF_8);
        return settings;
    }

    /**
     * The hook. It speaks HTTP/1.1 itself over bash's {@code /dev/tcp}: starting curl (libcurl and its libraries)
     * costs about 10 ms a call here, three times what the rest of the call costs. curl remains the way for bodies
     * larger than the kernel buffers a loopback connection holds (a write there could block past every limit), for an
     * https hook URL, and for a bash without network redirections. Every path ends within {@code timeout}: the CLI
     * lets a call through when its hook times out.
     */
    public static String script(URI endpoint, Duration timeout) {
        int seconds = (int) Math.max(1, timeout.toSeconds());
        boolean plain = "http".equals(endpoint.getScheme());
        int port = endpoint.getPort() > 0 ? endpoint.getPort() : 80;
        return """
                #!/bin/bash
                # Loopline's claude-code hook (generated for one run): hands the tool call on stdin to agent-service,
                # which answers 204 (allow) or 200 with the reason to block (exit 2, the reason on stderr for Claude).
                # Anything else blocks: fail closed. Every path ends within the limit, since the CLI lets a call
                # through when its hook times out.
                export LC_ALL=C
                limit=%d
                body=$(cat)
                blocked() { printf 'Loopline blocked this call: its tool-call guard did not answer (%%s)\\n' "$1" >&2; exit 2; }
                answer() {
                  case "$1" in
                    204) exit 0 ;;
                    200) printf '%%s\\n' "$2" >&2; exit 2 ;;
                    *) blocked "$1" ;;
                  esac
                }
                # SECONDS counts from the start of this script: each read waits only for what is left of the limit
                if %s && (( ${#body} <= 65536 )) && { exec 3<>%s; } 2>/dev/null; then
                  printf 'POST %%s HTTP/1.1\\r\\nHost: %%s\\r\\nContent-Type: application/json\\r\\nContent-Length: %%d\\r\\nConnection: close\\r\\n\\r\\n%%s' \\
                    %s %s "${#body}" "$body" >&3
                  IFS=' ' read -r -t "$((limit - SECONDS))" _ status _ <&3 || blocked "no answer within ${limit}s"
                  [[ "$status" == 204 ]] && exit 0
                  length=0
                  while (( SECONDS < limit )) && IFS= read -r -t "$((limit - SECONDS))" line <&3; do
                    line=${line%%$'\\r'}
                    [[ -z "$line" ]] && break
                    [[ "${line,,}" == content-length:* ]] && length=${line#*:} && length=${length// /}
                  done
                  text=""
                  (( length > 0 && SECONDS < limit )) && IFS= read -r -N "$length" -t "$((limit - SECONDS))" text <&3
                  answer "$status" "$text"
                fi
                reply=$(printf '%%s' "$body" | curl --silent --show-error --noproxy '*' --max-time "$limit" \\
                  -H 'Content-Type: application/json' --data-binary @- --write-out '\\n%%{http_code}' %s 2>&1)
                status=${reply##*$'\\n'}
                [[ "$status" == 204 || "$status" == 200 ]] || blocked "$(printf '%%s' "$reply" | head -c 300 | tr '\\n' ' ')"
                answer "$status" "${reply%%$'\\n'*}"
                """
                .formatted(
                        seconds,
                        plain ? "true" : "false",
                        quoted("/dev/tcp/" + endpoint.getHost() + "/" + port),
                        quoted(endpoint.getRawPath()),
                        quoted(endpoint.getHost() + ":" + port),
                        quoted(endpoint.toString()));
    }

    private static ObjectNode settings(Path hook, Duration hookTimeout, boolean webFetchPreflight) {
        ObjectNode root = Json.mapper().createObjectNode();
        if (!webFetchPreflight) {
            root.put("skipWebFetchPreflight", true);
        }
        ObjectNode hooks = root.putObject("hooks");
        // the CLI's own limit is a backstop behind curl's; a hook it kills counts as an error, not as a block
        long limit = hookTimeout.toSeconds() + 5;
        String command = quoted(hook.toString());
        hooks.putArray("SessionStart").add(entry(null, command, limit));
        ArrayNode pre = hooks.putArray("PreToolUse");
        pre.add(entry("Bash", command, limit));
        pre.add(entry(WRITE_TOOLS, command, limit));
        pre.add(entry(UNTRUSTED_TOOLS, command, limit));
        hooks.putArray("PostToolUse").add(entry(UNTRUSTED_TOOLS, command, limit));
        hooks.putArray("PostToolUseFailure").add(entry(UNTRUSTED_TOOLS, command, limit));
        return root;
    }

    private static ObjectNode entry(String matcher, String command, long timeoutSeconds) {
        ObjectNode entry = Json.mapper().createObjectNode();
        if (matcher != null) {
            entry.put("matcher", matcher);
        }
        ObjectNode hook = entry.putArray("hooks").addObject();
        hook.put("type", "command");
        hook.put("command", command);
        hook.put("timeout", timeoutSeconds);
        return entry;
    }

    /** A word for bash, in single quotes. */
    public static String quoted(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
