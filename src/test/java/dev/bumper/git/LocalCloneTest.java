package dev.bumper.git;

import static dev.bumper.cli.TestProcesses.git;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bumper.cli.TestProcesses;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCloneTest {
  @TempDir Path tmp;

  private static boolean same(String configured, String wanted) throws Exception {
    return LocalClone.sameRepository(configured, new URIish(wanted));
  }

  @Test
  void urlsThatDifferOnlyInCredentialsOrSuffixNameTheSameRepository() throws Exception {
    assertThat(same("https://github.com/acme/config.git", "https://x-access-token:t0k3n@github.com/acme/config")).isTrue();
    assertThat(same("https://github.com/acme/config", "https://GitHub.com/acme/config.git/")).isTrue();
    assertThat(same("/srv/git/config.git", "file:///srv/git/config.git/")).isTrue();
    assertThat(same("git@github.com:acme/config.git", "git@github.com:/acme/config.git")).isTrue();
    assertThat(same("ssh://git@github.com/acme/config.git", "git@github.com:acme/config.git")).isTrue();
  }

  @Test
  void otherRepositoriesHostsOrPortsAreDifferent() throws Exception {
    assertThat(same("https://github.com/acme/config.git", "https://github.com/acme/other.git")).isFalse();
    assertThat(same("https://github.com/acme/config.git", "https://gitlab.com/acme/config.git")).isFalse();
    assertThat(same("ssh://git@host:2222/config.git", "ssh://git@host/config.git")).isFalse();
    assertThat(same("https://github.com/acme/config.git", "http://github.com/acme/config.git")).isFalse();
  }

  /** A config repo with main (its HEAD), a branch release one commit ahead, and a tag. */
  private Path configRepo() throws Exception {
    Path bare = TestProcesses.bareRepository(tmp.resolve("config.git"),
        Map.of("apps/web.yaml", "image: ghcr.io/acme/web:1.0\n", "README.md", "# config\n"));
    Path seed = tmp.resolve("seed-config.git");
    git(seed, "tag", "v1");
    git(seed, "checkout", "-q", "-b", "release");
    git(seed, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "release");
    git(seed, "push", "-q", "origin", "release", "v1");
    return bare;
  }

  private static String config(Path clone, String key) throws Exception {
    return git(clone, "config", "--get-all", key).strip();
  }

  @Test
  void aCloneIsTheOneGitCloneDepthOneMakesOfEveryBranch() throws Exception {
    Path bare = configRepo();
    Path clone = tmp.resolve("clone");

    LocalClone.Result result = new LocalClone(RemoteUrl.parse(bare.toUri().toString()), clone).call();

    assertThat(result).isEqualTo(new LocalClone.Result(true, "main", java.util.List.of()));
    assertThat(git(clone, "symbolic-ref", "HEAD").strip()).isEqualTo("refs/heads/main");
    assertThat(config(clone, "remote.origin.url")).isEqualTo(bare.toUri().toString());
    assertThat(config(clone, "remote.origin.fetch")).isEqualTo("+refs/heads/*:refs/remotes/origin/*");
    assertThat(config(clone, "branch.main.remote")).isEqualTo("origin");
    assertThat(config(clone, "branch.main.merge")).isEqualTo("refs/heads/main");
    assertThat(git(clone, "for-each-ref", "--format=%(refname)").lines())
        .containsExactly("refs/heads/main", "refs/remotes/origin/main", "refs/remotes/origin/release", "refs/tags/v1");
    assertThat(git(clone, "rev-parse", "--is-shallow-repository").strip()).isEqualTo("true");
    assertThat(git(clone, "rev-parse", "HEAD")).isEqualTo(git(bare, "rev-parse", "main"));
    assertThat(git(clone, "ls-files").lines()).containsExactly("README.md", "apps/web.yaml");
    assertThat(git(clone, "status", "--porcelain")).isEmpty();
    git(clone, "fsck", "--strict");
  }

  @Test
  void aBranchAskedForIsTheOnlyOneClonedAndIsTracked() throws Exception {
    Path bare = configRepo();
    Path clone = tmp.resolve("clone");

    LocalClone.Result result =
        new LocalClone(RemoteUrl.parse(bare.toUri().toString()), clone).setBranch("release").call();

    assertThat(result).isEqualTo(new LocalClone.Result(true, "release", java.util.List.of()));
    assertThat(config(clone, "remote.origin.fetch")).isEqualTo("+refs/heads/release:refs/remotes/origin/release");
    assertThat(config(clone, "branch.release.merge")).isEqualTo("refs/heads/release");
    assertThat(git(clone, "for-each-ref", "--format=%(refname)").lines())
        .containsExactly("refs/heads/release", "refs/remotes/origin/release");
    assertThat(git(clone, "rev-parse", "HEAD")).isEqualTo(git(bare, "rev-parse", "release"));
    assertThat(git(clone, "status", "--porcelain")).isEmpty();
  }

  @Test
  void theBranchTheRemotesHeadNamesIsCheckedOut() throws Exception {
    Path bare = configRepo();
    git(bare, "symbolic-ref", "HEAD", "refs/heads/release");
    Path clone = tmp.resolve("clone");

    LocalClone.Result result = new LocalClone(RemoteUrl.parse(bare.toUri().toString()), clone).call();

    assertThat(result).isEqualTo(new LocalClone.Result(true, "release", java.util.List.of()));
    assertThat(config(clone, "branch.release.remote")).isEqualTo("origin");
  }

  @Test
  void anEmptyRepositoryOrAMissingBranchLeavesNoDirectoryBehind() throws Exception {
    Path empty = tmp.resolve("empty.git");
    git(tmp, "init", "-q", "--bare", "-b", "main", empty.toString());
    Path bare = configRepo();

    assertThatThrownBy(() -> new LocalClone(RemoteUrl.parse(empty.toUri().toString()), tmp.resolve("a")).call())
        .isInstanceOf(IOException.class).hasMessageEndingWith("empty.git/ has no commits to clone");
    assertThatThrownBy(() -> new LocalClone(RemoteUrl.parse(bare.toUri().toString()), tmp.resolve("b"))
        .setBranch("nope").call())
        .isInstanceOf(IOException.class).hasMessageStartingWith("no branch nope in ");
    assertThat(tmp.resolve("a")).doesNotExist();
    assertThat(tmp.resolve("b")).doesNotExist();
  }

  /**
   * A link whose target has a trailing or doubled slash cannot be made as the tree has it (Java's
   * paths drop them, and JGit's checkout makes links through them): the clone says so, for each
   * such link, with JGit's checkout (attributes in the tree) as with its own.
   */
  @Test
  void aLinkThatCannotBeMadeAsTheTreeHasItIsNamedInAWarning() throws Exception {
    for (boolean attributes : new boolean[] {false, true}) {
      String name = attributes ? "attributes" : "plain";
      Map<String, String> files = new java.util.TreeMap<>(Map.of("k8s/pod.yaml", "kind: Pod\n"));
      if (attributes) {
        files.put(".gitattributes", "*.sh text\n");
      }
      Path bare = TestProcesses.bareRepository(tmp.resolve(name + ".git"), files);
      Path seed = tmp.resolve("seed-" + name + ".git");
      TestProcesses.run(seed, "ln", "-s", "k8s/", "dirlink");
      TestProcesses.run(seed, "ln", "-s", "k8s//pod.yaml", "doubled");
      TestProcesses.run(seed, "ln", "-s", "k8s/pod.yaml", "fine");
      git(seed, "add", "dirlink", "doubled", "fine");
      git(seed, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "links");
      git(seed, "push", "-q", "origin", "main");

      LocalClone.Result result = new LocalClone(RemoteUrl.parse(bare.toUri().toString()), tmp.resolve("clone-" + name)).call();

      assertThat(result.warnings()).as(name).containsExactly(
          "warning: dirlink: a link to \"k8s/\", made as a link to \"k8s\" (links made through Java keep no"
              + " trailing or doubled slash): git status shows it changed, and git commit -a would commit it so",
          "warning: doubled: a link to \"k8s//pod.yaml\", made as a link to \"k8s/pod.yaml\" (links made through"
              + " Java keep no trailing or doubled slash): git status shows it changed, and git commit -a would"
              + " commit it so");
      assertThat(tmp.resolve("clone-" + name + "/doubled")).hasSameTextualContentAs(tmp.resolve("clone-" + name + "/fine"));
    }
    assertThat(new LocalClone(RemoteUrl.parse(tmp.resolve("plain.git").toUri().toString()), tmp.resolve("clone-plain"))
        .call().warnings()).as("a clone reused").isEmpty();
  }

  /** -C a link to an empty directory: a failed clone empties the directory the link leads to again. */
  @Test
  void aFailedCloneThroughALinkLeavesTheDirectoryItLeadsToEmpty() throws Exception {
    Path bare = configRepo();
    Path real = java.nio.file.Files.createDirectory(tmp.resolve("real"));
    Path link = java.nio.file.Files.createSymbolicLink(tmp.resolve("link"), real);

    assertThatThrownBy(() -> new LocalClone(RemoteUrl.parse(bare.toUri().toString()), link).setBranch("nope").call())
        .isInstanceOf(IOException.class).hasMessageStartingWith("no branch nope in ");

    assertThat(real).isEmptyDirectory();
    assertThat(link).isSymbolicLink();
    // and the next run clones into it
    new LocalClone(RemoteUrl.parse(bare.toUri().toString()), link).call();
    assertThat(real.resolve(".git")).isDirectory();
  }

  /**
   * transfer.fsckObjects in the user's git config makes JGit check objects as they arrive, which
   * demands a history a shallow clone does not have: the clone must not inherit it.
   */
  @Test
  void aUserConfigThatChecksFetchedObjectsStillClones() throws Throwable {
    Path bare = configRepo();
    withUserConfig("[transfer]\n\tfsckObjects = true\n[fetch]\n\tfsckObjects = true\n", () -> {
      LocalClone.Result result =
          new LocalClone(RemoteUrl.parse(bare.toUri().toString()), tmp.resolve("clone")).call();

      assertThat(result).isEqualTo(new LocalClone.Result(true, "main", java.util.List.of()));
      assertThat(SystemReader.getInstance().getUserConfig().getBoolean("transfer", "fsckobjects", false)).isTrue();
    });
  }

  /** What a run stopped in its fetch leaves: origin set, no branch yet, marked unfinished. */
  @Test
  void aCloneStoppedInItsFetchIsRefusedAsUnfinishedWhateverTheBranchAsked() throws Exception {
    Path bare = configRepo();
    Path clone = tmp.resolve("clone");
    try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.init().setDirectory(clone.toFile()).call()) {
      git.getRepository().getConfig().setString("remote", "origin", "url", bare.toUri().toString());
      git.getRepository().getConfig().save();
      CheckoutCompleteness.markCheckoutStarted(git.getRepository());
    }

    for (String branch : new String[] {null, "release"}) {
      assertThatThrownBy(() -> new LocalClone(RemoteUrl.parse(bare.toUri().toString()), clone).setBranch(branch).call())
          .as(String.valueOf(branch))
          .isInstanceOf(IncompleteCloneException.class)
          .hasMessageContaining("holds an incomplete clone of");
    }
  }

  /**
   * A repository whose main holds {@code count} manifests over many directories (enough for the
   * checkout to write on more than one thread), a script, a link and whatever {@code extra} adds.
   */
  private Path treeRepo(String name, int count, Map<String, String> extra) throws Exception {
    java.util.Map<String, String> files = new java.util.TreeMap<>(extra);
    for (int i = 0; i < count; i++) {
      files.put("apps/team-%02d/svc-%03d/deployment.yaml".formatted(i % 7, i), "image: ghcr.io/acme/svc-%d:1.0\n".formatted(i));
    }
    files.put("bin/render.sh", "#!/bin/sh\necho render\n");
    Path bare = TestProcesses.bareRepository(tmp.resolve(name), files);
    Path seed = tmp.resolve("seed-" + name);
    git(seed, "update-index", "--chmod=+x", "bin/render.sh");
    java.nio.file.Files.createSymbolicLink(seed.resolve("current.yaml"), Path.of("apps/team-00/svc-000/deployment.yaml"));
    git(seed, "add", "current.yaml");
    git(seed, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "script, link");
    git(seed, "push", "-q", "origin", "main");
    return bare;
  }

  /** Every file, link and mode of {@code clone}'s work tree, and what its index records. */
  private static Map<String, String> workTree(Path clone) throws Exception {
    Map<String, String> found = new java.util.TreeMap<>();
    try (java.util.stream.Stream<Path> paths = java.nio.file.Files.walk(clone)) {
      for (Path path : paths.filter(p -> !clone.relativize(p).startsWith(".git")).toList()) {
        String name = clone.relativize(path).toString();
        if (java.nio.file.Files.isSymbolicLink(path)) {
          found.put(name, "link to " + java.nio.file.Files.readSymbolicLink(path));
        } else if (java.nio.file.Files.isDirectory(path)) {
          found.put(name, "directory");
        } else {
          found.put(name, (java.nio.file.Files.isExecutable(path) ? "executable " : "file ")
              + java.util.HexFormat.of().formatHex(java.nio.file.Files.readAllBytes(path)));
        }
      }
    }
    found.put("(index)", git(clone, "ls-files", "--stage"));
    return found;
  }

  @Test
  void aCheckoutHoldsWhatGitsHoldsFileForFileAndGitFindsItClean() throws Exception {
    Path bare = treeRepo("tree.git", 700, Map.of("README.md", "# config\n"));
    git(tmp, "clone", "-q", "--depth", "1", bare.toUri().toString(), "by-git");

    new LocalClone(RemoteUrl.parse(bare.toUri().toString()), tmp.resolve("clone")).call();

    Path clone = tmp.resolve("clone");
    assertThat(workTree(clone)).isEqualTo(workTree(tmp.resolve("by-git")));
    assertThat(workTree(clone)).containsEntry("current.yaml", "link to apps/team-00/svc-000/deployment.yaml")
        .hasEntrySatisfying("bin/render.sh", kind -> assertThat(kind).startsWith("executable "));
    assertThat(git(clone, "status", "--porcelain")).isEmpty();
    assertThat(org.eclipse.jgit.api.Git.open(clone.toFile()).status().call().isClean()).isTrue();
    git(clone, "fsck", "--strict");
  }

  /** Runs {@code action} with {@code content} as the user's git config, as JGit reads it. */
  private void withUserConfig(String content, org.junit.jupiter.api.function.Executable action) throws Throwable {
    Path userConfig = tmp.resolve("user-" + System.nanoTime() + ".gitconfig");
    java.nio.file.Files.writeString(userConfig, content);
    SystemReader previous = SystemReader.getInstance();
    SystemReader.setInstance(new SystemReader.Delegate(previous) {
      @Override
      public FileBasedConfig openUserConfig(Config parent, FS fs) {
        return new FileBasedConfig(parent, userConfig.toFile(), fs);
      }
    });
    try {
      action.execute();
    } finally {
      SystemReader.setInstance(previous);
    }
  }

  /** The work trees without their indexes: git records the stat data of its own files. */
  private static Map<String, String> files(Path clone) throws Exception {
    Map<String, String> found = workTree(clone);
    found.remove("(index)");
    return found;
  }

  /**
   * Attributes (in the tree, at its top or further down, or from core.attributesFile),
   * core.autocrlf and core.symlinks=false change what a checkout writes: as git changes it.
   */
  @Test
  void whatAttributesAndConfigChangeIsCheckedOutAsGitChecksItOut() throws Throwable {
    String[][] attributeFiles = {{".gitattributes", "notes/a.txt"}, {"notes/.gitattributes", "notes/a.txt"}};
    for (String[] attributes : attributeFiles) {
      String name = attributes[0].replace('/', '-') + ".git";
      Path bare = treeRepo(name, 3, Map.of(attributes[0], "*.txt eol=crlf\n", attributes[1], "one\ntwo\n"));
      git(tmp, "clone", "-q", "--depth", "1", bare.toUri().toString(), "by-git-" + name);

      new LocalClone(RemoteUrl.parse(bare.toUri().toString()), tmp.resolve("clone-" + name)).call();

      assertThat(java.nio.file.Files.readString(tmp.resolve("clone-" + name).resolve(attributes[1])))
          .as(attributes[0]).isEqualTo("one\r\ntwo\r\n");
      assertThat(workTree(tmp.resolve("clone-" + name))).isEqualTo(workTree(tmp.resolve("by-git-" + name)));
      assertThat(git(tmp.resolve("clone-" + name), "status", "--porcelain")).isEmpty();
    }

    Path plain = treeRepo("plain.git", 3, Map.of("plain.yaml", "a: 1\nb: 2\n"));
    String url = plain.toUri().toString();
    git(tmp, "-c", "core.autocrlf=true", "clone", "-q", "--depth", "1", url, "autocrlf-by-git");
    withUserConfig("[core]\n\tautocrlf = true\n", () -> new LocalClone(RemoteUrl.parse(url), tmp.resolve("autocrlf")).call());
    assertThat(java.nio.file.Files.readString(tmp.resolve("autocrlf/plain.yaml"))).isEqualTo("a: 1\r\nb: 2\r\n");
    assertThat(files(tmp.resolve("autocrlf"))).isEqualTo(files(tmp.resolve("autocrlf-by-git")));

    Path attributesFile = tmp.resolve("global.gitattributes");
    java.nio.file.Files.writeString(attributesFile, "*.yaml eol=crlf\n");
    git(tmp, "-c", "core.attributesFile=" + attributesFile, "clone", "-q", "--depth", "1", url, "global-by-git");
    withUserConfig("[core]\n\tattributesFile = " + attributesFile + "\n",
        () -> new LocalClone(RemoteUrl.parse(url), tmp.resolve("global")).call());
    assertThat(java.nio.file.Files.readString(tmp.resolve("global/plain.yaml"))).isEqualTo("a: 1\r\nb: 2\r\n");
    assertThat(files(tmp.resolve("global"))).isEqualTo(files(tmp.resolve("global-by-git")));

    git(tmp, "-c", "core.symlinks=false", "clone", "-q", "--depth", "1", url, "nolinks-by-git");
    withUserConfig("[core]\n\tsymlinks = false\n", () -> new LocalClone(RemoteUrl.parse(url), tmp.resolve("nolinks")).call());
    assertThat(files(tmp.resolve("nolinks"))).containsEntry("current.yaml",
        "file " + java.util.HexFormat.of().formatHex("apps/team-00/svc-000/deployment.yaml".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(files(tmp.resolve("nolinks"))).isEqualTo(files(tmp.resolve("nolinks-by-git")));
  }

  /**
   * A file that cannot be written, on any of the threads writing, fails the checkout and leaves
   * no index: an index of part of the tree would have the rest committed as deleted.
   */
  @Test
  void aFileThatCannotBeWrittenFailsTheCheckoutAndWritesNoIndex() throws Exception {
    Path bare = treeRepo("fails.git", 700, Map.of("top-0.yaml", "a: 0\n", "top-1.yaml", "a: 1\n"));
    // after the 700 manifests and bin/render.sh, in the order the files are handed out: one to
    // each of the two threads writing (and no directory to make for either)
    for (String taken : new String[] {"top-0.yaml", "top-1.yaml"}) {
      Path clone = tmp.resolve("clone-" + taken);
      git(tmp, "clone", "-q", "--no-checkout", bare.toUri().toString(), clone.toString());
      java.nio.file.Files.deleteIfExists(clone.resolve(".git/index"));
      java.nio.file.Files.writeString(clone.resolve(taken), "in the way\n");
      try (org.eclipse.jgit.lib.Repository repo = org.eclipse.jgit.api.Git.open(clone.toFile()).getRepository();
          org.eclipse.jgit.revwalk.RevWalk walk = new org.eclipse.jgit.revwalk.RevWalk(repo)) {
        org.eclipse.jgit.revwalk.RevTree tree = walk.parseCommit(repo.resolve("HEAD")).getTree();

        assertThatThrownBy(() -> FreshCheckout.checkout(repo, tree))
            .as(taken).isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
      }
      assertThat(clone.resolve(".git/index")).as(taken).doesNotExist();
      assertThat(java.nio.file.Files.readString(clone.resolve(taken))).isEqualTo("in the way\n");
    }
  }

  /** A submodule is an empty directory in a clone, as git leaves one without --recurse-submodules. */
  @Test
  void aSubmoduleIsCheckedOutAsAnEmptyDirectory() throws Exception {
    Path bare = treeRepo("sub.git", 3, Map.of());
    Path seed = tmp.resolve("seed-sub.git");
    git(seed, "update-index", "--add", "--cacheinfo", "160000," + git(seed, "rev-parse", "HEAD").strip() + ",vendor/lib");
    git(seed, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "submodule");
    git(seed, "push", "-q", "origin", "main");
    git(tmp, "clone", "-q", "--depth", "1", bare.toUri().toString(), "by-git");

    new LocalClone(RemoteUrl.parse(bare.toUri().toString()), tmp.resolve("clone")).call();

    assertThat(workTree(tmp.resolve("clone"))).containsEntry("vendor/lib", "directory")
        .isEqualTo(workTree(tmp.resolve("by-git")));
  }

  /**
   * A name that is not UTF-8 (git takes any bytes) cannot be created by Java as git creates it:
   * checked out under another name, the commit would rename the file. The clone is refused,
   * naming the file as git does, and nothing is left.
   */
  @Test
  void aNameThatIsNotUtf8IsRefusedNamingTheFileAsGitDoes() throws Exception {
    Path bare = treeRepo("latin1.git", 3, Map.of());
    Path seed = tmp.resolve("seed-latin1.git");
    java.nio.file.Files.writeString(tmp.resolve("latin1.yaml"), "a: 1\n");
    String blob = git(seed, "hash-object", "-w", tmp.resolve("latin1.yaml").toString()).strip();
    // "caf\351.yaml": é in Latin-1, a byte that UTF-8 never has alone
    TestProcesses.run(seed, "sh", "-c", "git update-index --add --cacheinfo 100644," + blob + ",\"$(printf 'caf\\351.yaml')\"");
    git(seed, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "latin-1 name");
    git(seed, "push", "-q", "origin", "main");
    assertThat(git(seed, "ls-files")).contains("\"caf\\351.yaml\"");

    assertThatThrownBy(() -> new LocalClone(RemoteUrl.parse(bare.toUri().toString()), tmp.resolve("clone")).call())
        .isInstanceOf(InvalidTreeException.class)
        .hasMessageStartingWith("\"caf\\351.yaml\": a file name that is not UTF-8");
    assertThat(tmp.resolve("clone")).doesNotExist();
  }
}
