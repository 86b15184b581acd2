package dev.bumper.manifest;

/**
 * One place whose value changed: where (file relative to the root, 1-based line and column of the
 * edited value), what kind of place, and the image or value before and after.
 */
public record ValueChange(String file, int line, int column, Kind kind, String old, String now) {}
