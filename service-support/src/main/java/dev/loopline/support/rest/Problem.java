package dev.loopline.support.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.loopline.schemas.http.ProblemType;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Locale;

/**
 * An RFC 9457 problem detail, the body of every error a Loopline service answers. {@code type} is {@value
 * #TYPE_PREFIX}{@code <slug>}, so a client can switch on it; {@code errors} names the offending fields of an invalid
 * request and is left out when there are none.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_PREFIX = ProblemType.PREFIX;

    /** One invalid request field (query parameter or body member) and what is wrong with it. */
    public record FieldError(String field, String message) {}

    /** A problem of a catalogued type ({@link ProblemType}: slug, title and status in one place). */
    public static Problem of(ProblemType type, String detail) {
        return new Problem(type.uri(), type.title(), type.status(), detail, null);
    }

    /**
     * A problem for a bare status: the catalogue's generic type for it where there is one ({@code 401} → {@code
     * unauthorized}), else typed and titled by the reason phrase.
     */
    public static Problem of(Response.StatusType status, String detail) {
        return generic(status.getStatusCode(), status.getReasonPhrase(), detail);
    }

    /**
     * The problem for a {@link WebApplicationException} the framework threw (404 for an unknown path, 405, 415 …): its
     * status, titled and detailed by the reason phrase. The exception's message is left out on purpose: the
     * framework's messages can name classes, methods and parsers, which tell an attacker more than a caller needs.
     */
    public static Problem of(WebApplicationException error) {
        return ofStatus(error.getResponse().getStatus());
    }

    /** A problem for a bare HTTP status, titled and detailed by its reason phrase ({@code HTTP 599} if unknown). */
    public static Problem ofStatus(int code) {
        Response.StatusType status = Response.Status.fromStatusCode(code);
        String title = status == null ? "HTTP " + code : status.getReasonPhrase();
        return generic(code, title, title);
    }

    private static Problem generic(int code, String reasonPhrase, String detail) {
        String slug = slug(reasonPhrase);
        return ProblemType.fromUri(ProblemType.PREFIX + slug)
                .filter(type -> type.status() == code)
                .map(type -> of(type, detail))
                .orElseGet(() -> new Problem(TYPE_PREFIX + slug, reasonPhrase, code, detail, null));
    }

    public Problem withDetail(String newDetail) {
        return new Problem(type, title, status, newDetail, errors);
    }

    public Problem withErrors(List<FieldError> fieldErrors) {
        return new Problem(type, title, status, detail, List.copyOf(fieldErrors));
    }

    public Response toResponse() {
        return Response.status(status)
                .type(MediaType.valueOf(MEDIA_TYPE))
                .entity(this)
                .build();
    }

    /** {@code "Not Found"} → {@code not-found}: lower case, every run of other characters one hyphen. */
    static String slug(String title) {
        StringBuilder slug = new StringBuilder(title.length());
        boolean hyphen = false;
        for (char c : title.toLowerCase(Locale.ROOT).toCharArray()) {
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                if (hyphen && slug.length() > 0) {
                    slug.append('-');
                }
                slug.append(c);
                hyphen = false;
            } else {
                hyphen = true;
            }
        }
        return slug.isEmpty() ? "error" : slug.toString();
    }
}
