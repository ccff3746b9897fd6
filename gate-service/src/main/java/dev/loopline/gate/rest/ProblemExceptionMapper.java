package dev.loopline.gate.rest;

import dev.loopline.support.rest.Problem;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.jboss.logging.Logger;

/** The one exception-to-problem map: client errors keep their status, anything else is a 500 without details. */
@Provider
public class ProblemExceptionMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(ProblemExceptionMapper.class);

    @Override
    public Response toResponse(Throwable error) {
        if (error instanceof ProblemException refused) {
            return refused.problem().toResponse();
        }
        if (error instanceof WebApplicationException web && web.getResponse().getStatus() < 500) {
            return Problem.of(web).toResponse();
        }
        LOG.error("request failed", error);
        return Problem.of(Response.Status.INTERNAL_SERVER_ERROR, "the gate failed to handle the request")
                .toResponse();
    }
}
