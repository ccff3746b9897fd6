package dev.loopline.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ports of the local stack. Defaults are fixed so URLs are predictable; every one can be changed with
 * an environment variable, and a busy port stops start-up with a message naming the variable.
 */
public record StackPorts(
        int dashboard, int scheduler, int agent, int guard, int gate, int state, int kafka, int postgres) {

    public static StackPorts fromEnvironment(Map<String, String> env) {
        return new StackPorts(
                port(env, "LOOPLINE_PORT_DASHBOARD", 8080),
                port(env, "LOOPLINE_PORT_SCHEDULER", 8081),
                port(env, "LOOPLINE_PORT_AGENT", 8082),
                port(env, "LOOPLINE_PORT_GUARD", 8083),
                port(env, "LOOPLINE_PORT_GATE", 8084),
                port(env, "LOOPLINE_PORT_STATE", 8085),
                port(env, "LOOPLINE_PORT_KAFKA", 19092),
                port(env, "LOOPLINE_PORT_POSTGRES", 15432));
    }

    /** Variable name → port, in start order. */
    public Map<String, Integer> byVariable() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("LOOPLINE_PORT_KAFKA", kafka);
        ports.put("LOOPLINE_PORT_POSTGRES", postgres);
        ports.put("LOOPLINE_PORT_STATE", state);
        ports.put("LOOPLINE_PORT_AGENT", agent);
        ports.put("LOOPLINE_PORT_GUARD", guard);
        ports.put("LOOPLINE_PORT_GATE", gate);
        ports.put("LOOPLINE_PORT_SCHEDULER", scheduler);
        ports.put("LOOPLINE_PORT_DASHBOARD", dashboard);
        return ports;
    }

    /** @return one message per busy or duplicated port; empty when all are free */
    public List<String> problems() {
        Map<Integer, String> seen = new LinkedHashMap<>();
        List<String> problems = new java.util.ArrayList<>();
        byVariable().forEach((variable, port) -> {
            String other = seen.putIfAbsent(port, variable);
            if (other != null) {
                problems.add("port " + port + " is given to both " + other + " and " + variable);
            } else if (!isFree(port)) {
                problems.add("port " + port + " is already in use; choose another with " + variable + "=<port>");
            }
        });
        return problems;
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int port(Map<String, String> env, String variable, int fallback) {
        String value = env.get(variable);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.strip());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(variable + "=" + value + " is not a port number (1-65535)");
        }
    }
}
