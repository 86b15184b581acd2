package dev.bumper.kustomize;

/**
 * A change to an {@code images:} list: an entry {@code added}, {@code updated} or {@code removed}
 * (a repeated name collapsed into its first entry); {@code old} and {@code now} are the images the
 * entry deploys before and after, null where there is none.
 */
public record EntryChange(String name, String action, String old, String now) {}
