package dev.loopline.dashboard.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Deep links into the single page: {@code /ticks/{id}} (the link the gate puts in approval notices) serves the page,
 * which opens that tick after sign-in.
 */
@Path("/ticks/{id}")
public class PageResource {

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response tick(@PathParam("id") String id) {
        try (InputStream page =
                PageResource.class.getClassLoader().getResourceAsStream("META-INF/resources/index.html")) {
            if (page == null) {
                return Response.status(Response.Status.NOT_FOUND).build();
            }
            return Response.ok(page.readAllBytes())
                    .header("Cache-Control", "no-store")
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
