package io.ucag.cli;

/** A command line that cannot be run as given; the message names the flag and what it accepts. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
