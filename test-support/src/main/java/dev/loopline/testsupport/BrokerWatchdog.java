package dev.loopline.testsupport;

import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of the broker JVM: {@code BrokerWatchdog <parent-pid> <main-class> <args...>}. Exits
 * the broker when the JVM that started it is gone, even if that one was killed without running
 * its shutdown hooks (a crashed or timed-out test fork), so no broker outlives its test run.
 * JDK classes only: it runs on the broker's classpath.
 */
public final class BrokerWatchdog {

    private BrokerWatchdog() {}

    public static void main(String[] args) throws Exception {
        long parentPid = Long.parseLong(args[0]);
        ProcessHandle.of(parentPid)
                .ifPresentOrElse(parent -> parent.onExit().thenRun(() -> System.exit(0)), () -> System.exit(0));
        Method main = Class.forName(args[1]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
    }
}
