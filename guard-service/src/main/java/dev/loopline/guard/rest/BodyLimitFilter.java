package dev.loopline.guard.rest;

import dev.loopline.support.rest.Problem;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

/**
 * Refuses a request whose declared length exceeds its endpoint's {@link BodyLimit} with a 413 problem, before
 * the body is parsed. A body sent without a length is held to the same limit by the request record's
 * {@code @Size} (400), and to {@code quarkus.http.limits.max-body-size} overall.
 */
@Provider
@Priority(Priorities.USER + 100)
public class BodyLimitFilter implements ContainerRequestFilter {

    @Context
    ResourceInfo resource;

    @Override
    public void filter(ContainerRequestContext request) {
        if (resource == null || resource.getResourceMethod() == null) {
            return;
        }
        BodyLimit limit = resource.getResourceMethod().getAnnotation(BodyLimit.class);
        if (limit == null) {
            return;
        }
        long length = request.getLength();
        if (length > limit.value()) {
            request.abortWith(Problem.of(
                            Response.Status.REQUEST_ENTITY_TOO_LARGE,
                            "request body of " + length + " bytes exceeds the limit of " + limit.value()
                                    + " bytes for this endpoint")
                    .toResponse());
        }
    }
}
