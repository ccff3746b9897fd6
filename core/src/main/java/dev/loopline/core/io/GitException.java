package dev.loopline.core.io;

/** A git command failed; the message carries the command and git's output. */
public class GitException extends RuntimeException {
    public GitException(String message) {
        super(message);
    }
}
