package dev.loopline.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BrokerWatchdogTest {

    /** Stands in for kafka.Kafka: runs until something ends its JVM. */
    public static final class RunsForever {
        public static void main(String[] args) throws InterruptedException {
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        }
    }

    @Test
    void endsTheBrokerJvmWhenTheJvmThatStartedItIsGone() throws Exception {
        Process parent = new ProcessBuilder("sleep", "300").start();
        String classpath = String.join(
                File.pathSeparator,
                Path.of(BrokerWatchdog.class
                                .getProtectionDomain()
                                .getCodeSource()
                                .getLocation()
                                .toURI())
                        .toString(),
                Path.of(RunsForever.class
                                .getProtectionDomain()
                                .getCodeSource()
                                .getLocation()
                                .toURI())
                        .toString());
        Process broker = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        classpath,
                        BrokerWatchdog.class.getName(),
                        Long.toString(parent.pid()),
                        RunsForever.class.getName()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            assertThat(broker.waitFor(1, TimeUnit.SECONDS)).isFalse();
            parent.destroyForcibly().waitFor();
            assertThat(broker.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            broker.destroyForcibly();
            parent.destroyForcibly();
        }
    }
}
