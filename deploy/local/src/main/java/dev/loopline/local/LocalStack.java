package dev.loopline.local;

import dev.loopline.testsupport.KafkaBroker;
import dev.loopline.testsupport.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The whole of Loopline on one machine: a real Kafka broker (own JVM), an embedded real Postgres, the
 * five services and the dashboard as packaged JVMs, and the sample workspace. {@link #close()} stops
 * everything it started, in reverse order.
 */
public final class LocalStack implements AutoCloseable {

    public static final List<String> TOPICS = List.of(
            "loopline.ticks",
            "loopline.proposals",
            "loopline.verdicts",
            "loopline.decisions",
            "loopline.completions",
            "loopline.approvals",
            "loopline.dead-letters");

    /** Kill switches and budget states: the latest record per key is the state, so the topic is compacted. */
    public static final String CONTROL_TOPIC = "loopline.control";

    /**
     * Partitions of each work topic. A consumer group gives a partition to one member, so this is also the most
     * agent-service processes that can work at once ({@code up --agents}).
     */
    public static final int WORK_TOPIC_PARTITIONS = 3;

    /**
     * @param root the repository root (where the service modules' {@code target/} folders are)
     * @param baseDir where data, logs and the sample workspace live ({@code .loopline} by default)
     * @param specDir the loops to run; {@code null} for the sample loops
     * @param progress receives one line per step
     * @param environment more environment per service, by its name in {@link LocalStack#SERVICES} (agent-service's
     *     goes to every agent process), over what the stack sets and what it takes from the user's environment. A test
     *     points the claude-code maker at a scripted model server, or state-service and the dashboard at a test
     *     identity provider, this way.
     * @throws IllegalArgumentException when {@code environment} names a service the stack does not run
     */
    public record Options(
            Path root,
            Path baseDir,
            StackPorts ports,
            String token,
            Path specDir,
            Consumer<String> progress,
            Map<String, Map<String, String>> environment) {

        public Options {
            Map<String, Map<String, String>> copy = new HashMap<>();
            if (environment != null) {
                environment.forEach((service, variables) -> {
                    if (!SERVICES.contains(service)) {
                        throw new IllegalArgumentException(
                                "no service '" + service + "' to give environment to; the stack runs " + SERVICES);
                    }
                    copy.put(service, Map.copyOf(variables));
                });
            }
            environment = Map.copyOf(copy);
        }

        public Options(
                Path root, Path baseDir, StackPorts ports, String token, Path specDir, Consumer<String> progress) {
            this(root, baseDir, ports, token, specDir, progress, Map.of());
        }

        /** The extra environment of {@code service}; empty when none was given. */
        Map<String, String> environmentOf(String service) {
            return environment.getOrDefault(service, Map.of());
        }
    }

    /** The services the stack runs, by the names {@link #url} and {@link Options#environment} know them. */
    public static final List<String> SERVICES = List.of(
            "state-service", "agent-service", "guard-service", "gate-service", "scheduler-service", "dashboard");

    private final Options options;
    /** agent-service processes in the one consumer group {@code agent-service}. */
    private final int agents;

    private final SampleWorkspace sample;
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    /** Restarts services that die (one daemon thread). */
    private final ScheduledExecutorService supervisor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "loopline-supervisor");
        t.setDaemon(true);
        return t;
    });

    private KafkaBroker kafka;
    private PostgresServer postgres;

    private LocalStack(Options options, int agents) {
        this.options = options;
        this.agents = agents;
        this.sample = new SampleWorkspace(options.baseDir().resolve("sample"));
    }

    public static String newToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Starts everything with one agent-service; on any failure stops what was started and rethrows. */
    public static LocalStack start(Options options) {
        return start(options, 1);
    }

    /**
     * Starts everything with {@code agents} agent-service processes sharing the ticks (one consumer group, as replicas
     * of a Kubernetes Deployment); on any failure stops what was started and rethrows.
     *
     * @throws IllegalArgumentException when {@code agents} is not between 1 and {@link #WORK_TOPIC_PARTITIONS}
     */
    public static LocalStack start(Options options, int agents) {
        requireAgentCount(agents);
        LocalStack stack = new LocalStack(options, agents);
        try {
            stack.startAll();
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void startAll() {
        List<String> portProblems = options.ports().problems();
        if (!portProblems.isEmpty()) {
            throw new IllegalStateException("cannot start:\n  " + String.join("\n  ", portProblems));
        }
        Path logs = directory("logs");
        step("1/5", "starting Kafka broker on 127.0.0.1:" + options.ports().kafka());
        kafka = KafkaBroker.builder()
                .port(options.ports().kafka())
                .directory(directory("kafka"))
                .build()
                .start();
        kafka.createTopics(WORK_TOPIC_PARTITIONS, TOPICS.toArray(String[]::new));
        createCompactedControlTopic();
        step("2/5", "starting PostgreSQL on 127.0.0.1:" + options.ports().postgres());
        postgres = PostgresServer.builder()
                .port(options.ports().postgres())
                .dataDirectory(directory("postgres"))
                .build()
                .start();
        String jdbcUrl = postgres.createDatabase("loopline");
        // the scheduler's own database: its Flyway history (V1...) must not mix with state-service's
        String schedulerJdbcUrl = postgres.createDatabase("scheduler");
        // the gate's own database (approval requests, votes, its event outbox): Flyway V1... of its own
        String gateJdbcUrl = postgres.createDatabase("gate");
        step(
                "3/5",
                "preparing the sample repository and loops in "
                        + options.baseDir().resolve("sample"));
        sample.ensure();
        Path specDir = options.specDir() == null ? sample.loops() : options.specDir();

        step("4/5", "starting services (logs in " + logs + ")");
        Map<String, String> common = new HashMap<>();
        common.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        common.put("LOOPLINE_AUTH_TOKEN", options.token());
        StackPorts p = options.ports();
        Map<String, String> state = new HashMap<>(Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL",
                jdbcUrl,
                "QUARKUS_DATASOURCE_USERNAME",
                postgres.username(),
                "QUARKUS_DATASOURCE_PASSWORD",
                postgres.password(),
                // a demo price for the mock maker's model, so a money cap (budget set-cap --daily-usd) can
                // be tried locally: without a price, a money-capped scope refuses every hold (fail closed)
                "LOOPLINE_BUDGET_PRICES_MOCK_INPUT_PER_MTOK",
                "3",
                "LOOPLINE_BUDGET_PRICES_MOCK_OUTPUT_PER_MTOK",
                "15",
                // GET /api/v1/loops shows the scheduler's next run and pauses (its GET /api/v1/schedule) next
                // to the run log
                "LOOPLINE_STATE_SCHEDULER_URL",
                "http://localhost:" + p.scheduler(),
                "LOOPLINE_STATE_SCHEDULER_TOKEN",
                options.token()));
        state.putAll(fromUser(STATE_OIDC_VARIABLES, System::getenv));
        add("state-service", p.state(), common, state, logs);
        Map<String, String> agent = new HashMap<>(Map.of(
                "LOOPLINE_AGENT_WORK_DIR",
                workDir("agent").toString(),
                // the budget ledger: a hold before every maker run, settled after
                "LOOPLINE_AGENT_STATE_URL",
                "http://localhost:" + p.state(),
                "LOOPLINE_AGENT_STATE_TOKEN",
                options.token(),
                // SIGTERM ('loopline down', a test): running ticks get this long, then end halted (timeout)
                "LOOPLINE_AGENT_DRAIN_TIMEOUT",
                AGENT_DRAIN_TIMEOUT.toSeconds() + "s"));
        // the model makers' endpoints and keys, from the user's environment, to the agent only
        agent.putAll(fromUser(MODEL_VARIABLES, System::getenv));
        addAgent("agent-service", p.agent(), common, agent, logs, workDir("agent"));
        for (int i = 2; i <= agents; i++) {
            addAgentWorker(i, common, agent, logs);
        }
        add(
                "guard-service",
                p.guard(),
                common,
                Map.of(
                        "LOOPLINE_GUARD_WORK_DIR",
                        workDir("guard").toString(),
                        // issued API tokens and OIDC logins are vouched for by state-service
                        "LOOPLINE_AUTH_STATE_URL",
                        "http://localhost:" + p.state()),
                logs);
        Map<String, String> gate = new HashMap<>(Map.of(
                "LOOPLINE_GATE_WORK_DIR",
                workDir("gate").toString(),
                "LOOPLINE_AUTH_STATE_URL",
                "http://localhost:" + p.state(),
                "QUARKUS_DATASOURCE_JDBC_URL",
                gateJdbcUrl,
                "QUARKUS_DATASOURCE_USERNAME",
                postgres.username(),
                "QUARKUS_DATASOURCE_PASSWORD",
                postgres.password(),
                // approval notices link to the tick on the local dashboard
                "LOOPLINE_GATE_APPROVALS_DASHBOARD_URL",
                "http://localhost:" + p.dashboard()));
        // Slack, outbound webhooks and the pull-request provider, from the user's environment, to the gate only
        gate.putAll(fromUser(GATE_VARIABLES, System::getenv));
        add("gate-service", p.gate(), common, gate, logs);
        add(
                "scheduler-service",
                p.scheduler(),
                common,
                Map.of(
                        "LOOPLINE_SCHEDULER_SPEC_DIR",
                        specDir.toString(),
                        "LOOPLINE_SCHEDULER_STATE_URL",
                        "http://localhost:" + p.state(),
                        "LOOPLINE_AUTH_STATE_URL",
                        "http://localhost:" + p.state(),
                        "QUARKUS_DATASOURCE_JDBC_URL",
                        schedulerJdbcUrl,
                        "QUARKUS_DATASOURCE_USERNAME",
                        postgres.username(),
                        "QUARKUS_DATASOURCE_PASSWORD",
                        postgres.password()),
                logs);
        Map<String, String> dashboard = new HashMap<>(Map.of(
                "LOOPLINE_DASHBOARD_STATE_URL",
                "http://localhost:" + p.state(),
                "LOOPLINE_DASHBOARD_GATE_URL",
                "http://localhost:" + p.gate(),
                "LOOPLINE_DASHBOARD_SCHEDULER_URL",
                "http://localhost:" + p.scheduler()));
        dashboard.putAll(fromUser(DASHBOARD_OIDC_VARIABLES, System::getenv));
        add(
                "dashboard",
                p.dashboard(),
                common,
                // no token of its own: every call carries the signed-in user's token
                dashboard,
                logs);
        services.values().forEach(ServiceProcess::start);
        for (ServiceProcess service : services.values()) {
            service.awaitReady(Duration.ofSeconds(180));
            step("   ", service.name() + " ready at " + service.url());
        }
        writeRunFile();
        for (ServiceProcess service : services.values()) {
            service.supervise(supervisor, options.progress(), this::writeRunFile);
        }
        step("5/5", "Loopline is up");
    }

    private void createCompactedControlTopic() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            boolean exists =
                    admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(CONTROL_TOPIC);
            if (!exists) {
                NewTopic control = new NewTopic(CONTROL_TOPIC, 1, (short) 1)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
                admin.createTopics(List.of(control)).all().get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create " + CONTROL_TOPIC + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + CONTROL_TOPIC, e);
        }
    }

    /** Handed from the user's environment to agent-service only (the openai, anthropic and claude-code makers). */
    static final List<String> MODEL_VARIABLES =
            List.of("ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY", "OPENAI_BASE_URL", "OPENAI_API_KEY");

    /**
     * The {@code i}-th agent-service process ({@code agent-service-<i>}, i >= 2): the same jar and settings as the
     * first, in the same consumer group, with its own port (a free one) and work directory (worktrees and mirrors are
     * per process).
     */
    private void addAgentWorker(int i, Map<String, String> common, Map<String, String> agent, Path logs) {
        addAgent(agentWorkerName(i), freePort(), common, agent, logs, workDir("agent-" + i));
    }

    /**
     * How long a stopping agent lets its running ticks finish locally (Kubernetes: 600 s). Short, so that {@code
     * loopline down} does not wait for minutes; the stack waits {@link #AGENT_STOP_GRACE} before it kills.
     */
    static final Duration AGENT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

    /** The drain, the 20 s a halted tick gets to publish its end, and a margin: the agent's grace period here. */
    static final Duration AGENT_STOP_GRACE = AGENT_DRAIN_TIMEOUT.plusSeconds(30);

    private void addAgent(
            String name, int port, Map<String, String> common, Map<String, String> agent, Path logs, Path workDir) {
        Map<String, String> env = new HashMap<>(common);
        env.putAll(agent);
        env.putAll(options.environmentOf("agent-service"));
        env.put("LOOPLINE_AGENT_WORK_DIR", workDir.toString());
        Path jar = options.root().resolve("agent-service").resolve("target/quarkus-app/quarkus-run.jar");
        services.put(name, new ServiceProcess(name, jar, port, env, logs, AGENT_STOP_GRACE));
    }

    /** @throws IllegalArgumentException when {@code agents} is not between 1 and {@link #WORK_TOPIC_PARTITIONS} */
    public static void requireAgentCount(int agents) {
        if (agents < 1 || agents > WORK_TOPIC_PARTITIONS) {
            throw new IllegalArgumentException("--agents " + agents + ": give 1 to " + WORK_TOPIC_PARTITIONS
                    + " (loopline.ticks has " + WORK_TOPIC_PARTITIONS + " partitions here, and a consumer group gives"
                    + " each partition to one agent: more agents would sit idle)");
        }
    }

    /** {@code agent-service} for the first agent process, {@code agent-service-<i>} for the others. */
    static String agentWorkerName(int i) {
        return i == 1 ? "agent-service" : "agent-service-" + i;
    }

    private static int freePort() {
        try (java.net.ServerSocket socket =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port for an agent worker", e);
        }
    }

    /** Handed from the user's environment to gate-service only (approvals in Slack, webhooks, pull requests). */
    static final List<String> GATE_VARIABLES = List.of(
            "LOOPLINE_SLACK_SIGNING_SECRET",
            "LOOPLINE_SLACK_BOT_TOKEN",
            "LOOPLINE_SLACK_WEBHOOK_URL",
            "LOOPLINE_SLACK_API_URL",
            "LOOPLINE_SLACK_CHANNEL",
            "LOOPLINE_OUTBOUND_WEBHOOKS_URLS",
            "LOOPLINE_OUTBOUND_WEBHOOKS_SECRET",
            "LOOPLINE_PR_PROVIDER",
            "LOOPLINE_PR_TOKEN",
            "LOOPLINE_PR_API_URL");

    /**
     * Sign-in at the team's identity provider, from the user's environment: the dashboard runs the code flow, and
     * state-service verifies the provider's tokens (both sides must name the same issuer).
     */
    static final List<String> DASHBOARD_OIDC_VARIABLES = List.of(
            "LOOPLINE_DASHBOARD_OIDC_ISSUER",
            "LOOPLINE_DASHBOARD_OIDC_CLIENT_ID",
            "LOOPLINE_DASHBOARD_OIDC_CLIENT_SECRET",
            "LOOPLINE_DASHBOARD_OIDC_REDIRECT_URI");

    static final List<String> STATE_OIDC_VARIABLES = List.of(
            "LOOPLINE_AUTH_OIDC_ISSUER",
            "LOOPLINE_AUTH_OIDC_AUDIENCE",
            "LOOPLINE_AUTH_OIDC_JWKS_URL",
            "LOOPLINE_AUTH_OIDC_ROLES_CLAIM",
            "LOOPLINE_AUTH_OIDC_ADMIN_GROUP",
            "LOOPLINE_AUTH_OIDC_OPERATOR_GROUP",
            "LOOPLINE_AUTH_OIDC_VIEWER_GROUP",
            "LOOPLINE_AUTH_OIDC_APPROVER_GROUP_PREFIX");

    /** The variables of {@code names} that the user's environment sets (not blank), for one service only. */
    static Map<String, String> fromUser(List<String> names, java.util.function.UnaryOperator<String> environment) {
        Map<String, String> values = new HashMap<>();
        for (String name : names) {
            String value = environment.apply(name);
            if (value != null && !value.isBlank()) {
                values.put(name, value);
            }
        }
        return values;
    }

    private void add(String name, int port, Map<String, String> common, Map<String, String> own, Path logs) {
        Map<String, String> env = new HashMap<>(common);
        env.putAll(own);
        env.putAll(options.environmentOf(name));
        Path jar = options.root().resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
        services.put(name, new ServiceProcess(name, jar, port, env, logs));
    }

    /** Writes URLs, pids and the token for the CLI and {@code loopline down}; readable by the owner only. */
    private synchronized void writeRunFile() {
        Properties run = new Properties();
        run.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
        run.setProperty("token", options.token());
        run.setProperty("kafka.bootstrap", kafka.bootstrapServers());
        run.setProperty("postgres.jdbc", postgres.jdbcUrl("loopline"));
        run.setProperty("sample.repository", sample.repository().toString());
        run.setProperty("kafka.pid", Long.toString(kafka.processHandle().pid()));
        run.setProperty("postgres.pid", Long.toString(postgres.processHandle().pid()));
        services.forEach((name, s) -> {
            run.setProperty(name.replace("-service", "") + ".url", s.url());
            run.setProperty(name.replace("-service", "") + ".pid", Long.toString(s.pid()));
        });
        Path file = runFile(options.baseDir());
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (var out = Files.newBufferedWriter(file)) {
                run.store(out, "Loopline local stack; removed by 'loopline down'");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public static Path runFile(Path baseDir) {
        return baseDir.resolve("run").resolve("stack.properties");
    }

    public String url(String service) {
        ServiceProcess s = services.get(service);
        if (s == null) {
            throw new IllegalArgumentException("no service " + service);
        }
        return s.url();
    }

    public String token() {
        return options.token();
    }

    public Path sampleRepository() {
        return sample.repository();
    }

    public Path workDir(String service) {
        return options.baseDir().resolve("work").resolve(service);
    }

    public Path logDir() {
        return options.baseDir().resolve("logs");
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    /** The stack's Postgres (chaos tests restart it). */
    public PostgresServer postgres() {
        return postgres;
    }

    /** The pid of a service's current process (it changes when the supervisor restarts it). */
    public long pid(String service) {
        ServiceProcess s = services.get(service);
        if (s == null) {
            throw new IllegalArgumentException("no service " + service);
        }
        return s.pid();
    }

    @Override
    public void close() {
        supervisor.shutdownNow();
        List<ServiceProcess> reversed = new ArrayList<>(services.values());
        java.util.Collections.reverse(reversed);
        reversed.forEach(ServiceProcess::stop);
        if (kafka != null) {
            kafka.stop();
        }
        if (postgres != null) {
            postgres.stop();
        }
        try {
            Files.deleteIfExists(runFile(options.baseDir()));
        } catch (IOException ignored) {
            // a stale run file is harmless: 'down' checks that the pid is alive
        }
    }

    private Path directory(String name) {
        try {
            return Files.createDirectories(options.baseDir().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + options.baseDir().resolve(name), e);
        }
    }

    private void step(String number, String text) {
        options.progress().accept("[" + number + "] " + text);
    }
}
