package dev.bumper;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real-world corpus is byte for byte what was fetched: the first test class to run (see
 * junit-platform.properties), since every corpus test compares against those bytes.
 */
@Order(1)
class CorpusManifestTest {
  @Test
  void everyCorpusFileHasTheBlobHashAndSizeOfItsManifestLine() {
    Corpus corpus = Corpus.load();
    assertThat(corpus.paths()).hasSize(504);
    // The CRLF files are the first to suffer from a checkout that converts line endings.
    String crlf = new String(corpus.read("kubernetes__examples/_archived/sysdig-cloud/sysdig-rc.yaml"), ISO_8859_1);
    assertThat(crlf).contains("\r\n");
  }

  @Test
  void oneChangedByteFailsNamingTheFile(@TempDir Path tmp) throws Exception {
    Path copy = copyOfCorpus(tmp);
    String victim = Corpus.load().paths().get(100);
    byte[] bytes = Files.readAllBytes(copy.resolve(victim));
    bytes[bytes.length / 2] ^= 0x20;
    Files.write(copy.resolve(victim), bytes);

    assertThatThrownBy(() -> Corpus.verified(copy))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("not pristine (1 files)")
        .hasMessageContaining(victim + ": " + bytes.length + " bytes, blob " + Corpus.gitBlobSha1(bytes));
  }

  @Test
  void aMissingOrAnExtraFileFails(@TempDir Path tmp) throws Exception {
    Path copy = copyOfCorpus(tmp);
    String gone = Corpus.load().paths().get(7);
    Files.delete(copy.resolve(gone));
    Files.writeString(copy.resolve("stray.yaml"), "a: 1\n");

    assertThatThrownBy(() -> Corpus.verified(copy))
        .hasMessageContaining(gone + ": missing")
        .hasMessageContaining("stray.yaml: not in MANIFEST.tsv");
  }

  private static Path copyOfCorpus(Path tmp) throws Exception {
    Path source = Corpus.load().dir();
    Path copy = tmp.resolve("corpus");
    try (var files = Files.walk(source)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path target = copy.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
    return copy;
  }
}
