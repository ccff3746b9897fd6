package dev.loopline.agent.service;

import dev.loopline.agent.config.AgentConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** An {@link AgentConfig} for unit tests of one class. */
public record TestAgentConfig(String controlTopic, Duration controlCatchUpTimeout) implements AgentConfig {

    /** A {@link TickControl} on this config (topic {@code loopline.control}, 50 ms catch-up), for other packages. */
    public static TickControl tickControl() {
        TickControl control = new TickControl();
        control.config = new TestAgentConfig("loopline.control", Duration.ofMillis(50));
        return control;
    }

    @Override
    public Path workDir() {
        return Path.of("unused");
    }

    @Override
    public Duration shellTimeout() {
        return Duration.ofSeconds(30);
    }

    @Override
    public Duration gitTimeout() {
        return Duration.ofSeconds(30);
    }

    @Override
    public int maxDiffBytes() {
        return 1024;
    }

    @Override
    public Duration drainTimeout() {
        return Duration.ofSeconds(30);
    }

    @Override
    public State state() {
        return new State() {
            @Override
            public Optional<URI> url() {
                return Optional.empty();
            }

            @Override
            public Optional<String> token() {
                return Optional.empty();
            }

            @Override
            public Duration connectTimeout() {
                return Duration.ofSeconds(2);
            }

            @Override
            public Duration requestTimeout() {
                return Duration.ofSeconds(5);
            }
        };
    }

    @Override
    public Budget budget() {
        return new Budget() {
            @Override
            public boolean enabled() {
                return false;
            }

            @Override
            public long defaultTokensPerRun() {
                return 1000;
            }

            @Override
            public Duration holdMargin() {
                return Duration.ofMinutes(2);
            }
        };
    }

    @Override
    public Triage triage() {
        return new Triage() {
            @Override
            public int firstRunCommits() {
                return 20;
            }

            @Override
            public int maxCommits() {
                return 200;
            }
        };
    }

    @Override
    public Compaction compaction() {
        return compaction(200_000, 0, 4);
    }

    /** Compaction with the given thresholds. */
    public static Compaction compaction(long aboveChars, long aboveTokens, int keepRecentTurns) {
        return new Compaction() {
            @Override
            public long aboveChars() {
                return aboveChars;
            }

            @Override
            public long aboveTokens() {
                return aboveTokens;
            }

            @Override
            public int keepRecentTurns() {
                return keepRecentTurns;
            }
        };
    }

    @Override
    public Notebook notebook() {
        return new Notebook() {
            @Override
            public boolean enabled() {
                return false;
            }

            @Override
            public int notesShown() {
                return 20;
            }

            @Override
            public int maxChars() {
                return 8000;
            }
        };
    }

    @Override
    public Model model() {
        return TestModelConfig.defaults();
    }
}
