package dev.bumper.pipeline;

import dev.bumper.edit.EditResult;

/** An edit delivered: what it changed, and the push when there was one (else null). */
public record Delivered(EditResult result, PushReport push) {}
