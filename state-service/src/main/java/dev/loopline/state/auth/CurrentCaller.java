package dev.loopline.state.auth;

import dev.loopline.core.auth.Caller;
import jakarta.enterprise.context.RequestScoped;

/** The authenticated caller of the current request, set by {@link AuthFilters} before the resource runs. */
@RequestScoped
public class CurrentCaller {

    private Caller caller;

    public Caller get() {
        if (caller == null) {
            throw new IllegalStateException("no authenticated caller in this request");
        }
        return caller;
    }

    void set(Caller caller) {
        this.caller = caller;
    }
}
