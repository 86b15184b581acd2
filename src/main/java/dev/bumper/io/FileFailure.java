package dev.bumper.io;

/** A file that could not be bumped, with the exit code its problem maps to and a message. */
public record FileFailure(String file, int exitCode, String message) {}
