package dev.bumper.yaml;

import org.snakeyaml.engine.v2.common.ScalarStyle;

/**
 * Where a one-line scalar's text sits in the source: {@code [start, end)} in chars, quotes
 * included for quoted styles, anchor and tag excluded.
 */
public record ScalarSpan(int start, int end, ScalarStyle style, boolean explicitTag) {}
