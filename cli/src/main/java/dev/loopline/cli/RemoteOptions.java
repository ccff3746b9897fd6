package dev.loopline.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * Where a running deployment is. Defaults come from the environment, then from the file the local stack
 * writes ({@code .loopline/run/stack.properties}), so after {@code ./loopline up} remote verbs just work.
 */
class RemoteOptions {

    static final Path LOCAL_STACK_FILE = Path.of(".loopline", "run", "stack.properties");

    @Option(names = "--scheduler-url", description = "scheduler-service URL (env LOOPLINE_SCHEDULER_URL)")
    String schedulerUrl;

    @Option(names = "--state-url", description = "state-service URL (env LOOPLINE_STATE_URL)")
    String stateUrl;

    @Option(
            names = "--token",
            description = "API token (env LOOPLINE_TOKEN); prefer the environment so it stays out of shell history")
    String token;

    String scheduler() {
        return resolve(schedulerUrl, "LOOPLINE_SCHEDULER_URL", "scheduler.url");
    }

    String state() {
        return resolve(stateUrl, "LOOPLINE_STATE_URL", "state.url");
    }

    String token() {
        return resolve(token, "LOOPLINE_TOKEN", "token");
    }

    private static String resolve(String flag, String env, String key) {
        if (flag != null) {
            return flag;
        }
        String fromEnv = System.getenv(env);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        Properties local = new Properties();
        if (Files.isRegularFile(LOCAL_STACK_FILE)) {
            try (InputStream in = Files.newInputStream(LOCAL_STACK_FILE)) {
                local.load(in);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + LOCAL_STACK_FILE + ": " + e.getMessage(), e);
            }
        }
        String value = local.getProperty(key);
        if (value == null) {
            throw new IllegalStateException("no " + key + ": pass --" + key.replace('.', '-') + ", set " + env
                    + ", or start the local stack with ./loopline up");
        }
        return value;
    }
}
