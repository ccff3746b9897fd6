package dev.loopline.cli;

/**
 * A remote verb could not get an answer it can use: the service is unreachable ({@link ExitCodes#UNREACHABLE}), it
 * refused the token ({@link ExitCodes#DENIED}), or it answered something that is not its API. The message names the
 * service, its URL and what to do; it never contains the token.
 */
final class RemoteFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    RemoteFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
