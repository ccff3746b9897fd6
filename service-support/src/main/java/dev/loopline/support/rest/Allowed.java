package dev.loopline.support.rest;

import dev.loopline.core.auth.Permission;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The permission a resource method (or every method of a resource class) needs. A method without one on
 * itself or its class needs {@link Permission#ADMIN}: forgetting the annotation fails closed.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Allowed {
    Permission value();
}
