package dev.loopline.k8s;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * A service's {@code src/main/resources/application.properties}, read for what the manifests must agree with: the
 * config keys it knows (set, or documented in a comment) and its Kafka channels' topics and consumer group.
 */
final class ServiceProperties {

    /** {@code # some.key=value} - a key documented in a comment (optional settings are written this way). */
    private static final Pattern DOCUMENTED_KEY =
            Pattern.compile("^#\\s*(%[a-z]+\\.)?([a-z][a-z0-9-]*(?:\\.[a-zA-Z0-9\"*<>_-]+)+)\\s*=", Pattern.MULTILINE);
    /** An environment variable named anywhere in the file: "(LOOPLINE_AGENT_STATE_URL)", "${ANTHROPIC_API_KEY:}". */
    private static final Pattern ENV_NAME = Pattern.compile("\\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\\b");

    /**
     * Variables read by programs other than Quarkus, with the reason; anything else must be a config key the
     * service's application.properties knows.
     */
    static final Set<String> NOT_QUARKUS = Set.of(
            // git in gate-service reads its push credentials helper from this file (never Quarkus)
            "GIT_CONFIG_GLOBAL");

    private static final Set<String> KAFKA_CLIENT_SETTINGS = kafkaClientSettings();

    final String service;
    final Path file;
    final Properties properties = new Properties();
    /** Keys set (profile prefix removed) and keys documented in comments. */
    final Set<String> keys = new TreeSet<>();

    final Set<String> envNamesMentioned = new TreeSet<>();

    private ServiceProperties(String service, Path file, String text) {
        this.service = service;
        this.file = file;
        try {
            properties.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String key : properties.stringPropertyNames()) {
            keys.add(key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key);
        }
        Matcher documented = DOCUMENTED_KEY.matcher(text);
        while (documented.find()) {
            keys.add(documented.group(2));
        }
        Matcher env = ENV_NAME.matcher(text);
        while (env.find()) {
            envNamesMentioned.add(env.group());
        }
    }

    static ServiceProperties of(String service) {
        Path file = Manifests.repoRoot().resolve(service).resolve("src/main/resources/application.properties");
        try {
            return new ServiceProperties(service, file, Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** SmallRye's environment name of a property: every non-alphanumeric character an underscore, upper case. */
    static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /**
     * Why the service would read this variable, or null when nothing in it would: a property its
     * application.properties sets or documents (SmallRye mapping), a variable the file names, a Kafka client setting
     * (Quarkus hands every KAFKA_* variable to its Kafka clients), or a program other than Quarkus reads it.
     */
    String reader(String variable) {
        for (String key : keys) {
            if (envName(key).equals(variable)) {
                return "property " + key;
            }
        }
        if (envNamesMentioned.contains(variable)) {
            return "named in " + file.getFileName();
        }
        if (variable.startsWith("KAFKA_")) {
            String setting = variable.substring("KAFKA_".length())
                    .toLowerCase(Locale.ROOT)
                    .replace('_', '.');
            return KAFKA_CLIENT_SETTINGS.contains(setting) ? "Kafka client setting " + setting : null;
        }
        return NOT_QUARKUS.contains(variable) ? "read by a program the service runs" : null;
    }

    private static Set<String> kafkaClientSettings() {
        Set<String> all = new HashSet<>();
        all.addAll(ConsumerConfig.configNames());
        all.addAll(ProducerConfig.configNames());
        all.addAll(AdminClientConfig.configNames());
        return all;
    }

    boolean usesKafka() {
        return properties.stringPropertyNames().stream().anyMatch(k -> k.startsWith("mp.messaging."));
    }

    /** Topics of the outgoing channels: what the service writes. */
    Set<String> writes() {
        return topics("mp.messaging.outgoing.", ".topic");
    }

    /** Topics of the incoming channels and the control topic (read without a group, ADR 0006). */
    Set<String> reads() {
        Set<String> topics = new LinkedHashSet<>(groupReads());
        topics.addAll(controlTopic());
        return topics;
    }

    /** Topics consumed in a consumer group (incoming channels). */
    Set<String> groupReads() {
        Set<String> topics = new LinkedHashSet<>(topics("mp.messaging.incoming.", ".topic"));
        topics.addAll(topics("mp.messaging.incoming.", ".topics"));
        return topics;
    }

    /** The control topic, read whole by every replica without a group ({@code loopline.<service>.control-topic}). */
    Set<String> controlTopic() {
        Set<String> topics = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            if (!key.startsWith("%") && key.startsWith("loopline.") && key.endsWith(".control-topic")) {
                topics.add(properties.getProperty(key).trim());
            }
        }
        return topics;
    }

    /** The consumer groups of the incoming channels. */
    Set<String> groups() {
        Set<String> groups = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("mp.messaging.incoming.") && key.endsWith(".group.id")) {
                groups.add(properties.getProperty(key).trim());
            }
        }
        return groups;
    }

    int httpPort() {
        return Integer.parseInt(properties.getProperty("quarkus.http.port").trim());
    }

    private Set<String> topics(String prefix, String suffix) {
        Set<String> topics = new LinkedHashSet<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith(prefix)
                    && key.endsWith(suffix)
                    && key.indexOf('.', prefix.length()) == key.length() - suffix.length()) {
                for (String t : properties.getProperty(key).split(",")) {
                    topics.add(t.trim());
                }
            }
        }
        return topics;
    }
}
