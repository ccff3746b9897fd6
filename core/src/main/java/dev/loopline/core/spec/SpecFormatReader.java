package dev.loopline.core.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;

/** Reads one format into the internal model. A file may hold several specs (a registry). */
interface SpecFormatReader {

    SpecFormat format();

    /** Never throws for bad content: every invalid spec becomes a problem naming file and field. */
    SpecLoadResult read(Path file, JsonNode document);
}
