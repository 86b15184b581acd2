package dev.bumper.git;

import dev.bumper.edit.ListedTree;

/** The files of one commit of the config repo, read straight from the object database. */
public interface Snapshot extends ListedTree {}
