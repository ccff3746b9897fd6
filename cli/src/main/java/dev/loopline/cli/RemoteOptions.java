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

    /**
     * The local stack's file: under the repository the launcher runs from ({@code LOOPLINE_HOME}, which the
     * {@code ./loopline} script sets, since the CLI runs in the caller's directory), else under the current one.
     */
    static Path localStackFile() {
        String home = System.getenv("LOOPLINE_HOME");
        return home == null || home.isBlank() ? LOCAL_STACK_FILE : Path.of(home).resolve(LOCAL_STACK_FILE);
    }

    @Option(names = "--scheduler-url", description = "scheduler-service URL (env LOOPLINE_SCHEDULER_URL)")
    String schedulerUrl;

    @Option(names = "--state-url", description = "state-service URL (env LOOPLINE_STATE_URL)")
    String stateUrl;

    @Option(names = "--gate-url", description = "gate-service URL (env LOOPLINE_GATE_URL)")
    String gateUrl;

    @Option(
            names = "--token",
            description = "API token (env LOOPLINE_TOKEN); prefer the environment so it stays out of shell history")
    String token;

    /** A setting and where it came from (never printed for the token itself, only its source). */
    private record Setting(String value, String source) {}

    Api scheduler() {
        return api(Api.Service.SCHEDULER, schedulerUrl, "scheduler.url");
    }

    Api state() {
        return api(Api.Service.STATE, stateUrl, "state.url");
    }

    Api gate() {
        return api(Api.Service.GATE, gateUrl, "gate.url");
    }

    private Api api(Api.Service service, String flag, String key) {
        Setting url = resolve(flag, service.urlOption(), service.urlEnv(), key);
        Setting secret = resolve(token, "--token", "LOOPLINE_TOKEN", "token");
        return new Api(service, url.value(), secret.value(), secret.source());
    }

    private static Setting resolve(String flag, String option, String env, String key) {
        if (flag != null) {
            return new Setting(flag, option);
        }
        String fromEnv = System.getenv(env);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new Setting(fromEnv, env);
        }
        Properties local = new Properties();
        Path stackFile = localStackFile();
        if (Files.isRegularFile(stackFile)) {
            try (InputStream in = Files.newInputStream(stackFile)) {
                local.load(in);
            } catch (IOException e) {
                throw new UsageException("cannot read " + stackFile + ": " + e.getMessage());
            }
        }
        String value = local.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new UsageException("no " + key + ": pass " + option + ", set " + env
                    + ", or start the local stack with ./loopline up");
        }
        return new Setting(value.strip(), stackFile.toString());
    }
}
