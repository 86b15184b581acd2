package dev.bumper.cli;

import dev.bumper.git.CheckoutPush;
import dev.bumper.git.Intent;
import dev.bumper.git.TreeChange;
import picocli.CommandLine;

/**
 * Makes a recorded intent a change again: its arguments are parsed by the command that recorded
 * them, exactly as on the command line, and the command builds the change it would make on a
 * repository's tree.
 */
final class IntentReplay implements CheckoutPush.Replay {
  private final Console console;

  IntentReplay(Console console) {
    this.console = console;
  }

  @Override
  public TreeChange change(Intent intent) {
    String[] args = intent.args().toArray(new String[0]);
    switch (intent.command()) {
      case BumpManifestCommand.NAME: {
        BumpManifestCommand command = new BumpManifestCommand();
        new CommandLine(command).parseArgs(args);
        return command.snapshotChange(console, intent.root(), null);
      }
      case KustomizeSetImageCommand.NAME: {
        KustomizeSetImageCommand command = new KustomizeSetImageCommand();
        new CommandLine(command).parseArgs(args);
        command.underRoot(intent.root());
        return command.snapshotChange(console, null);
      }
      default:
        throw new IllegalStateException("an intent of an unknown command: " + intent.command());
    }
  }
}
