package dev.loopline.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real single-node KRaft Kafka broker (broker and controller in one process) running in its
 * own JVM, started from the jars listed in {@code kafka-broker.classpath}, which the build of this
 * module writes. The broker's jars (server, Scala, log4j) are never on the caller's classpath.
 *
 * <p>The broker listens on 127.0.0.1 only. Random ports are the default; {@link #start()} retries
 * with fresh ports when one was taken in the meantime, and only reports ready when the broker on
 * the port answers with the cluster id this instance formatted.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final int RANDOM_PORT_ATTEMPTS = 3;
    private static final int LOG_TAIL_LINES = 40;
    private static final String BROKER_WATCHDOG_CLASS = "dev/loopline/testsupport/BrokerWatchdog.class";

    private final int requestedPort;
    private final int requestedControllerPort;
    private final Path requestedDir;
    private final int numPartitions;
    private final Duration startTimeout;
    private final String logLevel;
    private final List<String> jvmArgs;

    private Path dir;
    private boolean temporaryDir;
    private String clusterId;
    private int port;
    private int controllerPort;
    private Process process;
    private Thread shutdownHook;

    private KafkaBroker(Builder builder) {
        this.requestedPort = builder.port;
        this.requestedControllerPort = builder.controllerPort;
        this.requestedDir = builder.dir;
        this.numPartitions = builder.numPartitions;
        this.startTimeout = builder.startTimeout;
        this.logLevel = builder.logLevel;
        this.jvmArgs = List.copyOf(builder.jvmArgs);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts a broker on random ports in a temporary directory (deleted on {@link #stop()}). */
    public static KafkaBroker startTemporary() {
        return builder().build().start();
    }

    /**
     * Formats the storage (unless the directory already holds a formatted broker), starts the
     * broker JVM and blocks until it answers with this instance's cluster id.
     *
     * @throws IllegalStateException when the broker does not come up within the start timeout; the
     *     message carries the tail of the broker log
     */
    public synchronized KafkaBroker start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("broker already started on " + bootstrapServers());
        }
        boolean randomPorts = requestedPort == 0 || requestedControllerPort == 0;
        int attempts = randomPorts ? RANDOM_PORT_ATTEMPTS : 1;
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                startOnce();
                return this;
            } catch (PortTakenException e) {
                last = new IllegalStateException(e.getMessage(), e);
                stopProcess();
                removeShutdownHook();
                // fresh directory and cluster id on the next attempt: nothing is kept from a broker
                // that never became ready
                deleteTemporaryDir();
            } catch (RuntimeException e) {
                stopProcess();
                removeShutdownHook();
                deleteTemporaryDir();
                throw e;
            }
        }
        throw last;
    }

    private void startOnce() {
        int[] free = FreePorts.pick(2);
        port = requestedPort != 0 ? requestedPort : free[0];
        controllerPort = requestedControllerPort != 0 ? requestedControllerPort : free[1];
        try {
            prepareDirectory();
            writeServerProperties();
            copyLogConfig();
            List<String> classpath = brokerClasspath();
            if (!Files.exists(dataDir().resolve("meta.properties"))) {
                format(classpath);
            } else {
                clusterId = readClusterId();
            }
            process = launch(classpath, "kafka.Kafka", serverProperties().toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Kafka broker in " + dir, e);
        }
        registerShutdownHook();
        awaitReady();
    }

    private void prepareDirectory() throws IOException {
        if (requestedDir != null) {
            dir = requestedDir.toAbsolutePath();
            Files.createDirectories(dir);
            temporaryDir = false;
        } else {
            Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
            dir = Files.createTempDirectory("loopline-kafka-");
            temporaryDir = true;
        }
        Files.createDirectories(dataDir());
    }

    private void writeServerProperties() throws IOException {
        Properties props = new Properties();
        props.setProperty("process.roles", "broker,controller");
        props.setProperty("node.id", "1");
        props.setProperty("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
        props.setProperty(
                "listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
        props.setProperty("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
        props.setProperty("controller.listener.names", "CONTROLLER");
        props.setProperty("inter.broker.listener.name", "PLAINTEXT");
        props.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.setProperty("log.dirs", dataDir().toString());
        props.setProperty("num.partitions", Integer.toString(numPartitions));
        props.setProperty("default.replication.factor", "1");
        props.setProperty("offsets.topic.replication.factor", "1");
        props.setProperty("offsets.topic.num.partitions", "3");
        props.setProperty("transaction.state.log.replication.factor", "1");
        props.setProperty("transaction.state.log.min.isr", "1");
        props.setProperty("share.coordinator.state.topic.replication.factor", "1");
        props.setProperty("share.coordinator.state.topic.min.isr", "1");
        props.setProperty("group.initial.rebalance.delay.ms", "0");
        props.setProperty("auto.create.topics.enable", "true");
        // The cleaner's dedupe buffer defaults to 128 MiB, allocated in one piece at startup: in a 256 MiB heap
        // that allocation fails now and then (CI saw "OutOfMemoryError: Java heap space" in SkimpyOffsetMap).
        // The compacted topics of a test broker hold a few thousand records at most; 8 MiB maps ~350,000 keys.
        props.setProperty("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
        try (Writer out = Files.newBufferedWriter(serverProperties(), StandardCharsets.UTF_8)) {
            props.store(out, "written by dev.loopline.testsupport.KafkaBroker");
        }
    }

    private void copyLogConfig() throws IOException {
        try (InputStream in = KafkaBroker.class.getResourceAsStream("kafka-broker-log4j2.xml")) {
            if (in == null) {
                throw new IllegalStateException("resource kafka-broker-log4j2.xml missing from loopline-test-support");
            }
            Files.write(logConfig(), in.readAllBytes());
        }
    }

    private void format(List<String> classpath) throws IOException {
        clusterId = Uuid.randomUuid().toString();
        Process format = launch(
                classpath,
                "kafka.tools.StorageTool",
                "format",
                "-t",
                clusterId,
                "-c",
                serverProperties().toString());
        try {
            if (!format.waitFor(startTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                destroyTree(format.toHandle());
                throw new IllegalStateException("Kafka storage format did not finish within " + startTimeout + "; log "
                        + logFile() + ":\n" + ProcessLogs.tail(logFile(), LOG_TAIL_LINES));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            destroyTree(format.toHandle());
            throw new IllegalStateException("interrupted while formatting Kafka storage", e);
        }
        if (format.exitValue() != 0) {
            throw new IllegalStateException("Kafka storage format failed (exit " + format.exitValue() + "); log "
                    + logFile() + ":\n" + ProcessLogs.tail(logFile(), LOG_TAIL_LINES));
        }
    }

    private String readClusterId() throws IOException {
        Properties meta = new Properties();
        try (InputStream in = Files.newInputStream(dataDir().resolve("meta.properties"))) {
            meta.load(in);
        }
        String id = meta.getProperty("cluster.id");
        if (id == null || id.isBlank()) {
            throw new IllegalStateException("no cluster.id in " + dataDir().resolve("meta.properties"));
        }
        return id;
    }

    private Process launch(List<String> classpath, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-Djava.awt.headless=true");
        command.add("-Dlog4j2.configurationFile=" + logConfig());
        command.add("-Dloopline.kafka.log.level=" + logLevel);
        command.addAll(jvmArgs);
        command.add("-cp");
        Path ownLocation = ownLocation();
        if (ownLocation != null) {
            List<String> withWatchdog = new ArrayList<>(classpath);
            withWatchdog.add(ownLocation.toString());
            command.add(String.join(File.pathSeparator, withWatchdog));
            command.add(BrokerWatchdog.class.getName());
            command.add(Long.toString(ProcessHandle.current().pid()));
        } else {
            command.add(String.join(File.pathSeparator, classpath));
        }
        command.add(mainClass);
        command.addAll(Arrays.asList(args));
        return new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                .start();
    }

    /** The jar or directory this class came from, or null when the class loader does not say. */
    private static Path ownLocation() {
        try {
            CodeSource source = KafkaBroker.class.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                return null;
            }
            Path location = Path.of(source.getLocation().toURI());
            return Files.exists(location.resolve(BROKER_WATCHDOG_CLASS)) || Files.isRegularFile(location)
                    ? location
                    : null;
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            return null;
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        Map<String, Object> adminConfig = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
        Admin admin = null;
        try {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    String tail = ProcessLogs.tail(logFile(), LOG_TAIL_LINES);
                    String message = "Kafka broker exited with code " + process.exitValue() + " before it was ready ("
                            + bootstrapServers() + ", controller port " + controllerPort + "); log " + logFile()
                            + ":\n" + tail;
                    if (tail.contains("Address already in use") || tail.contains("BindException")) {
                        throw new PortTakenException(message);
                    }
                    throw new IllegalStateException(message);
                }
                if (!FreePorts.isListening(HOST, port, 200)) {
                    sleep(100);
                    continue;
                }
                if (admin == null) {
                    admin = Admin.create(adminConfig);
                }
                String answered = answeringClusterId(admin);
                if (clusterId.equals(answered)) {
                    return;
                }
                if (answered != null) {
                    throw new PortTakenException("port " + port + " is served by another Kafka cluster (id " + answered
                            + "), not the one formatted here (id " + clusterId + ")");
                }
                sleep(100);
            }
        } finally {
            if (admin != null) {
                admin.close(Duration.ofSeconds(2));
            }
        }
        throw new IllegalStateException("Kafka broker not ready on " + bootstrapServers() + " within " + startTimeout
                + "; log " + logFile() + ":\n" + ProcessLogs.tail(logFile(), LOG_TAIL_LINES));
    }

    /** The cluster id the broker reports once it has registered itself, or null if not yet. */
    private static String answeringClusterId(Admin admin) {
        try {
            DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000));
            if (cluster.nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                return null;
            }
            return cluster.clusterId().get(3, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
        }
    }

    /** Stops the broker JVM (and anything it started), waits for it, and deletes a temporary directory. */
    public synchronized void stop() {
        stopProcess();
        removeShutdownHook();
        deleteTemporaryDir();
    }

    private void removeShutdownHook() {
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running or will run; it does the same work
            }
            shutdownHook = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void stopProcess() {
        if (process != null) {
            destroyTree(process.toHandle());
        }
    }

    private void deleteTemporaryDir() {
        if (temporaryDir && dir != null) {
            deleteRecursively(dir.toFile());
            dir = null;
        }
    }

    /**
     * Runs at JVM exit so a test JVM never leaves a broker behind. Uses JDK classes only: in a
     * Quarkus test the class loader that loaded this class may already be closed by then.
     */
    private void registerShutdownHook() {
        removeShutdownHook();
        ProcessHandle handle = process.toHandle();
        File tempDir = temporaryDir ? dir.toFile() : null;
        shutdownHook = new Thread(
                () -> {
                    destroyTree(handle);
                    if (tempDir != null) {
                        deleteRecursively(tempDir);
                    }
                },
                "loopline-kafka-broker-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    private static void destroyTree(ProcessHandle handle) {
        handle.descendants().forEach(ProcessHandle::destroy);
        handle.destroy();
        try {
            handle.onExit().get(20, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            handle.descendants().forEach(ProcessHandle::destroyForcibly);
            handle.destroyForcibly();
            try {
                handle.onExit().get(10, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException | InterruptedException ignored) {
                // nothing more can be done than SIGKILL
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            handle.destroyForcibly();
        }
    }

    private static void deleteRecursively(File file) {
        File[] children = file.listFiles();
        if (children != null) {
            for (File child : children) {
                deleteRecursively(child);
            }
        }
        file.delete();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
        }
    }

    /**
     * The broker JVM's classpath: absolute paths of jars in the local Maven repository of the build
     * that produced this module, listed in two resources written by maven-dependency-plugin.
     */
    static List<String> brokerClasspath() {
        Set<String> entries = new LinkedHashSet<>();
        for (String resource : List.of("kafka-clients.classpath", "kafka-broker.classpath")) {
            try (InputStream in = KafkaBroker.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("resource " + resource
                            + " missing from loopline-test-support; build it with ./mvnw -pl test-support -am verify");
                }
                for (String entry : new String(in.readAllBytes(), StandardCharsets.UTF_8).split(File.pathSeparator)) {
                    if (!entry.isBlank()) {
                        entries.add(entry.trim());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource, e);
            }
        }
        for (String entry : entries) {
            if (!Files.isRegularFile(Path.of(entry))) {
                throw new IllegalStateException("Kafka broker jar " + entry
                        + " does not exist: loopline-test-support was built against another local Maven"
                        + " repository; rebuild it here with ./mvnw -pl test-support -am verify");
            }
        }
        return List.copyOf(entries);
    }

    /** Creates topics with the broker's default partition count; existing topics are left alone. */
    public void createTopics(String... names) {
        createTopics(numPartitions, names);
    }

    /** Creates topics with {@code partitions} partitions and replication factor 1; existing ones are kept. */
    public void createTopics(int partitions, String... names) {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : names) {
            topics.add(new NewTopic(name, partitions, (short) 1));
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            for (var result : admin.createTopics(topics).values().entrySet()) {
                try {
                    result.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + result.getKey(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("topic creation timed out on " + bootstrapServers(), e);
        }
    }

    /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    /** The cluster id this instance formatted (or found in an already formatted directory). */
    public String clusterId() {
        return clusterId;
    }

    /** The broker's directory: server.properties, log4j2.xml, broker.log and data/. */
    public Path directory() {
        return dir;
    }

    public Path logFile() {
        return dir.resolve("broker.log");
    }

    /** The broker JVM; {@code isAlive()} is false after {@link #stop()}. */
    public ProcessHandle processHandle() {
        if (process == null) {
            throw new IllegalStateException("broker not started");
        }
        return process.toHandle();
    }

    private Path dataDir() {
        return dir.resolve("data");
    }

    private Path serverProperties() {
        return dir.resolve("server.properties");
    }

    private Path logConfig() {
        return dir.resolve("log4j2.xml");
    }

    /**
     * Runs a broker until the JVM is stopped, for a local stack: {@code --port 9092
     * --controller-port 9093 --dir .loopline/kafka --partitions 3 --log-level WARN}. Without
     * {@code --dir} the broker lives in a temporary directory; without ports it picks free ones.
     * Prints {@code bootstrap.servers=...} once ready.
     */
    public static void main(String[] args) throws InterruptedException {
        Builder builder = builder();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--port" -> builder.port(Integer.parseInt(Objects.requireNonNull(value, "--port")));
                case "--controller-port" -> builder.controllerPort(
                        Integer.parseInt(Objects.requireNonNull(value, "--controller-port")));
                case "--dir" -> builder.directory(Path.of(Objects.requireNonNull(value, "--dir")));
                case "--partitions" -> builder.numPartitions(
                        Integer.parseInt(Objects.requireNonNull(value, "--partitions")));
                case "--log-level" -> builder.logLevel(Objects.requireNonNull(value, "--log-level"));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; options: --port --controller-port --dir --partitions --log-level");
            }
            i++;
        }
        KafkaBroker broker = builder.build().start();
        System.out.println("bootstrap.servers=" + broker.bootstrapServers() + " cluster.id=" + broker.clusterId()
                + " log=" + broker.logFile());
        broker.process.waitFor();
    }

    /** Options of a {@link KafkaBroker}; defaults: random ports, temporary directory, 3 partitions. */
    public static final class Builder {
        private int port;
        private int controllerPort;
        private Path dir;
        private int numPartitions = 3;
        // generous: the machines are shared and a loaded one slows JVM start-up several times
        private Duration startTimeout = Duration.ofSeconds(120);
        private String logLevel = "WARN";
        private final List<String> jvmArgs = new ArrayList<>();

        private Builder() {}

        /** Client (PLAINTEXT) port on 127.0.0.1; 0 = a free port. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** KRaft controller port on 127.0.0.1; 0 = a free port. */
        public Builder controllerPort(int controllerPort) {
            this.controllerPort = controllerPort;
            return this;
        }

        /** Directory kept across restarts (data is reused); null = a temporary directory. */
        public Builder directory(Path dir) {
            this.dir = dir;
            return this;
        }

        public Builder numPartitions(int numPartitions) {
            if (numPartitions < 1) {
                throw new IllegalArgumentException("numPartitions must be >= 1: " + numPartitions);
            }
            this.numPartitions = numPartitions;
            return this;
        }

        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = Objects.requireNonNull(startTimeout);
            return this;
        }

        /** Root log level of the broker JVM (log4j2 level name), WARN by default. */
        public Builder logLevel(String logLevel) {
            this.logLevel = Objects.requireNonNull(logLevel);
            return this;
        }

        /** Extra JVM options for the broker JVM, e.g. {@code -XX:+UseSerialGC}. */
        public Builder jvmArg(String jvmArg) {
            this.jvmArgs.add(Objects.requireNonNull(jvmArg));
            return this;
        }

        public KafkaBroker build() {
            return new KafkaBroker(this);
        }
    }

    /** The broker could not have the port: another process holds it. Retried with fresh ports. */
    private static final class PortTakenException extends RuntimeException {
        PortTakenException(String message) {
            super(message);
        }
    }
}
