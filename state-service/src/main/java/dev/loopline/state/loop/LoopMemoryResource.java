package dev.loopline.state.loop;

import dev.loopline.core.auth.Permission;
import dev.loopline.schemas.http.LoopMemory;
import dev.loopline.state.auth.CurrentCaller;
import dev.loopline.state.common.ApiException;
import dev.loopline.state.common.StateConfig;
import dev.loopline.support.rest.Allowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * A loop's memory across ticks: its triage cursor with the last grounded report (read by the agent before a triage
 * stage; written only by recording the tick's events), and its notebook (read by a maker at the start of a run,
 * appended at its end).
 */
@Path("/api/v1/loops/{loopId}")
@Produces(MediaType.APPLICATION_JSON)
public class LoopMemoryResource {

    private static final String LOOP_ID = "^[a-z][a-z0-9-]{0,62}$";
    private static final String KEY = "^[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}$";
    private static final String TICK_ID = "^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$";

    @Inject
    LoopMemoryService memory;

    @Inject
    StateConfig config;

    @Inject
    CurrentCaller caller;

    @GET
    @Path("/triage")
    @Allowed(Permission.READ)
    @Operation(
            summary = "The loop's triage cursor per ref and the last report whose every cited SHA was grounded; no"
                    + " cursors when the loop never completed a triage")
    public LoopMemory.TriageState triage(@PathParam("loopId") String loopId) {
        return memory.triage(loopId(loopId));
    }

    @GET
    @Path("/notes")
    @Allowed(Permission.READ)
    @Operation(summary = "The loop's notebook, oldest note first (the newest max-notes are kept)")
    public LoopMemory.Notebook notes(@PathParam("loopId") String loopId) {
        return memory.notebook(loopId(loopId));
    }

    @POST
    @Path("/notes")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Permission.OPERATE)
    @Operation(
            summary = "Append a note to the loop's notebook; the same key appends once. Answers the notebook as"
                    + " stored; the oldest notes beyond max-notes are dropped")
    public LoopMemory.Notebook append(@PathParam("loopId") String loopId, LoopMemory.NoteRequest request) {
        String loop = loopId(loopId);
        if (request == null) {
            throw ApiException.invalidParameter("body", "a JSON object with key and text is required");
        }
        if (request.key() == null || !request.key().matches(KEY)) {
            throw ApiException.invalidParameter(
                    "key", "must be 1 to 200 characters of letters, digits and . _ : / - (e.g. <tick>/<attempt>)");
        }
        if (request.tickId() != null && !request.tickId().matches(TICK_ID)) {
            throw ApiException.invalidParameter("tickId", "must be a tick id");
        }
        String text = request.text() == null ? "" : request.text().strip();
        if (text.isEmpty()) {
            throw ApiException.invalidParameter("text", "must not be blank");
        }
        int max = config.notebook().maxNoteChars();
        if (text.length() > max) {
            throw ApiException.invalidParameter(
                    "text", "is " + text.length() + " characters; a note holds at most " + max + ": shorten it");
        }
        return memory.append(loop, request.key(), request.tickId(), caller.get().name(), text);
    }

    private static String loopId(String loopId) {
        if (loopId == null || !loopId.matches(LOOP_ID)) {
            throw ApiException.invalidParameter("loopId", "must be a loop id (lowercase letters, digits, -)");
        }
        return loopId;
    }
}
