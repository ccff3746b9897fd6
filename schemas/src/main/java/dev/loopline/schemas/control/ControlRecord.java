package dev.loopline.schemas.control;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;

/**
 * One record of the compacted control topic ({@code loopline.control}); the latest record of a key wins. Schema:
 * {@code control/control-record.schema.json}.
 */
public sealed interface ControlRecord permits KillSwitch, BudgetAlert {

    /** The Kafka key: {@code <scope>:<id>} for a kill switch, {@code budget:<kind>:<id>} for a budget alert. */
    @JsonIgnore
    String key();

    /** When the record was written. */
    Instant at();
}
