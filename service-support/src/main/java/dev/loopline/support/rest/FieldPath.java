package dev.loopline.support.rest;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;

/**
 * The one way every service names the field a validation error is about: the path inside the request body, property
 * names joined with dots and list positions in brackets after the list's name ({@code scopes[1].kind}); a violation of
 * a parameter itself (a query parameter, a missing body) is named by the parameter. The resource method and the body
 * parameter, which Bean Validation puts first, are never part of it.
 */
public final class FieldPath {

    private FieldPath() {}

    public static String of(ConstraintViolation<?> violation) {
        StringBuilder path = new StringBuilder();
        String parameter = null;
        for (Path.Node node : violation.getPropertyPath()) {
            ElementKind kind = node.getKind();
            if (kind == ElementKind.METHOD || kind == ElementKind.CONSTRUCTOR || kind == ElementKind.RETURN_VALUE) {
                continue;
            }
            if (kind == ElementKind.PARAMETER || kind == ElementKind.CROSS_PARAMETER) {
                parameter = node.getName();
                continue;
            }
            // an element of a list or map: its position belongs to the container named before it
            if (node.isInIterable() && path.length() > 0) {
                if (node.getIndex() != null) {
                    path.append('[').append(node.getIndex()).append(']');
                } else if (node.getKey() != null) {
                    path.append('[').append(node.getKey()).append(']');
                }
            }
            if (node.getName() != null && kind != ElementKind.CONTAINER_ELEMENT) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(node.getName());
            }
        }
        if (path.length() > 0) {
            return path.toString();
        }
        return parameter != null ? parameter : "body";
    }
}
