package dev.bumper.kustomize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bumper.yaml.InvalidYamlException;
import dev.bumper.yaml.SourceText;
import dev.bumper.yaml.TextEdit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * {@link KustomizationImages#set} on strings: kustomize's resulting {@code images:} list, written
 * with every byte outside the list kept, kept entries byte for byte, replaced entries edited in
 * place and new lines in the list's own layout. Expected outputs are exact texts.
 */
class KustomizationImagesTest {
  private static final String KUSTOMIZE_ERROR =
      """
      invalid format of image, use one of the following options:
      - <image>=<newimage>:<newtag>
      - <image>=<newimage>@<digest>
      - <image>=<newimage>:<newtag>@<digest>
      - <image>=<newimage>
      - <image>:<newtag>
      - <image>:<newtag>@<digest>
      - <image>@<digest>""";

  // ---------------------------------------------------------------------------------------------
  // Kept and replaced entries

  @Nested
  class KeptAndReplacedEntries {
    @Test
    void keptEntryKeepsItsBytesAndCommentsAndTheChangedOneIsEditedInPlace() {
      String input =
          """
          apiVersion: kustomize.config.k8s.io/v1beta1
          kind: Kustomization   # the kind
          images:
          # the api image, pinned
          - name: api     # inline on name
            newName:    ghcr.io/acme/api   # odd spacing
            newTag: "1.0"
            digest: 'sha256:aaaa'
          - name: web
            newTag:   v1   # bumped by CI
          resources:
          - deploy.yaml
          """;
      SetImageResult result = set(input, "web:v2");

      assertThat(result.edited().newText())
          .isEqualTo(
              """
              apiVersion: kustomize.config.k8s.io/v1beta1
              kind: Kustomization   # the kind
              images:
              # the api image, pinned
              - name: api     # inline on name
                newName:    ghcr.io/acme/api   # odd spacing
                newTag: "1.0"
                digest: 'sha256:aaaa'
              - name: web
                newTag:   v2   # bumped by CI
              resources:
              - deploy.yaml
              """);
      assertThat(result.changes()).containsExactly(new EntryChange("web", "updated", "web:v1", "web:v2"));
      assertThat(result.edited().changed()).isTrue();
      assertValid(input, result);
    }

    @Test
    void replacedEntryKeepsTheQuotingOfAChangedValue() {
      String input = "images:\n- name: a\n  newTag: 'v1'\n- name: b\n  newTag: \"v1\" # c\n";
      SetImageResult result = set(input, "a:v2", "b:v3");

      assertThat(result.edited().newText())
          .isEqualTo("images:\n- name: a\n  newTag: 'v2'\n- name: b\n  newTag: \"v3\" # c\n");
      assertValid(input, result);
    }

    @Test
    void replacedEntryGainsFieldsInItsOwnIndentationAfterItsLastField() {
      String input = "images:\n  - name: a   # a\n    newTag: v1 # tag\nkind: Kustomization\n";
      SetImageResult result = set(input, "a=ghcr.io/acme/a:v2@sha256:dddd");

      assertThat(result.edited().newText())
          .isEqualTo(
              """
              images:
                - name: a   # a
                  newTag: v2 # tag
                  newName: ghcr.io/acme/a
                  digest: sha256:dddd
              kind: Kustomization
              """);
      assertThat(result.changes())
          .containsExactly(new EntryChange("a", "updated", "a:v1", "ghcr.io/acme/a:v2@sha256:dddd"));
      assertValid(input, result);
    }

    @Test
    void replacedEntryLosesTheFieldsTheArgumentLacksWithTheirLines() {
      String input =
          """
          images:
          - name: a
            newName: x/a   # gone
            newTag: v1 # kept comment
            digest: sha256:old
          - name: b
            newName: x/b
          """;
      SetImageResult result = set(input, "a:v2");

      assertThat(result.edited().newText())
          .isEqualTo(
              """
              images:
              - name: a
                newTag: v2 # kept comment
              - name: b
                newName: x/b
              """);
      assertThat(result.changes()).containsExactly(new EntryChange("a", "updated", "x/a:v1@sha256:old", "a:v2"));
      assertValid(input, result);
    }

    @Test
    void tagSuffixIsDroppedOnReplaceAndKeptOnAnUntouchedEntry() {
      String input =
          """
          images:
          - name: app
            newTag: v1
            tagSuffix: -debug
          - name: other
            tagSuffix: -alpine
          """;
      SetImageResult result = set(input, "app:v2");

      assertThat(result.edited().newText())
          .isEqualTo("images:\n- name: app\n  newTag: v2\n- name: other\n  tagSuffix: -alpine\n");
      assertValid(input, result);
    }

    @Test
    void flowEntryInABlockListIsEditedInPlace() {
      String input = "images:\n- {name: a, newTag: v1}\n- name: b\n";
      SetImageResult result = set(input, "a:v2", "b:v1");

      assertThat(result.edited().newText()).isEqualTo("images:\n- {name: a, newTag: v2}\n- name: b\n  newTag: v1\n");
      assertValid(input, result);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // New entries follow the list's layout

  @Nested
  class Layout {
    @Test
    void newEntryInAListIndentedUnderImages() {
      String input = "images:\n  - name: a\n    newTag: v1\nresources:\n  - x.yaml\n";
      SetImageResult result = set(input, "b=ghcr.io/acme/b:v2");

      assertThat(result.edited().newText())
          .isEqualTo(
              """
              images:
                - name: a
                  newTag: v1
                - name: b
                  newName: ghcr.io/acme/b
                  newTag: v2
              resources:
                - x.yaml
              """);
      assertThat(result.changes()).containsExactly(new EntryChange("b", "added", null, "ghcr.io/acme/b:v2"));
      assertValid(input, result);
    }

    @Test
    void newEntryInAListNotIndented() {
      String input = "images:\n- name: a\n  newTag: v1\nresources:\n- x.yaml\n";
      SetImageResult result = set(input, "b@sha256:bbbb");

      assertThat(result.edited().newText())
          .isEqualTo("images:\n- name: a\n  newTag: v1\n- name: b\n  digest: sha256:bbbb\nresources:\n- x.yaml\n");
      assertValid(input, result);
    }

    @Test
    void newEntryFollowsOddSpacingAfterTheDash() {
      String input = "images:\n  -   name: a\n      newTag: v1\n";
      SetImageResult result = set(input, "b:v1");

      assertThat(result.edited().newText())
          .isEqualTo("images:\n  -   name: a\n      newTag: v1\n  -   name: b\n      newTag: v1\n");
      assertValid(input, result);
    }

    @Test
    void newEntryAfterAnEntryWhoseDashIsOnItsOwnLine() {
      String input = "images:\n-\n  name: a\n  newTag: v1\n";
      SetImageResult result = set(input, "b:v1");

      String out = result.edited().newText();
      assertThat(out).startsWith(input);
      assertThat(images(out)).containsExactly(entry("name", "a", "newTag", "v1"), entry("name", "b", "newTag", "v1"));
      assertValid(input, result);
    }

    @Test
    void crlfFileGetsCrlfInEveryNewLine() {
      String input = "kind: Kustomization\r\nimages:\r\n  - name: b   # b\r\n    newTag: v1\r\nresources:\r\n  - x.yaml\r\n";
      SetImageResult result = set(input, "a:v1", "b=x/b:v2");

      String out = result.edited().newText();
      assertThat(out)
          .isEqualTo(
              "kind: Kustomization\r\nimages:\r\n"
                  + "  - name: a\r\n    newTag: v1\r\n"
                  + "  - name: b   # b\r\n    newTag: v2\r\n    newName: x/b\r\n"
                  + "resources:\r\n  - x.yaml\r\n");
      assertNoLoneLf(out);
      assertValid(input, result);
    }

    @Test
    void crlfFileWithoutImagesGetsACrlfImagesList() {
      String input = "kind: Kustomization\r\nresources:\r\n- x.yaml\r\n";
      SetImageResult result = set(input, "a:v1");

      String out = result.edited().newText();
      assertThat(out).isEqualTo(input + "images:\r\n- name: a\r\n  newTag: v1\r\n");
      assertNoLoneLf(out);
      assertValid(input, result);
    }

    @Test
    void flowListStaysFlow() {
      String input = "kind: Kustomization\nimages: [{name: a, newTag: v1}]   # flow\nresources: [x.yaml]\n";
      SetImageResult result = set(input, "a:v2", "b=x/b:1.0");

      String out = result.edited().newText();
      assertThat(out)
          .isEqualTo(
              "kind: Kustomization\n"
                  + "images: [{name: a, newTag: v2}, {name: b, newName: x/b, newTag: \"1.0\"}]   # flow\n"
                  + "resources: [x.yaml]\n");
      Node images = imagesValue(out).orElseThrow();
      assertThat(images).isInstanceOf(SequenceNode.class);
      assertThat(((SequenceNode) images).getFlowStyle()).isEqualTo(FlowStyle.FLOW);
      assertValid(input, result);
    }

    @Test
    void emptyFlowListStaysFlow() {
      String input = "images: []\nkind: Kustomization\n";
      SetImageResult result = set(input, "a:v1");

      assertThat(result.edited().newText()).isEqualTo("images: [{name: a, newTag: v1}]\nkind: Kustomization\n");
      assertValid(input, result);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // A missing or empty images: key

  @Nested
  class MissingImages {
    @Test
    void appendedAtTheEnd() {
      String input = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- x.yaml\n";
      SetImageResult result = set(input, "app=ghcr.io/acme/app:v1");

      assertThat(result.edited().newText())
          .isEqualTo(input + "images:\n- name: app\n  newName: ghcr.io/acme/app\n  newTag: v1\n");
      assertThat(result.changes()).containsExactly(new EntryChange("app", "added", null, "ghcr.io/acme/app:v1"));
      assertValid(input, result);
    }

    @Test
    void appendedAfterAFileWithoutAFinalNewline() {
      String input = "kind: Kustomization\nresources:\n- x.yaml";
      SetImageResult result = set(input, "app:v1");

      assertThat(result.edited().newText()).isEqualTo(input + "\nimages:\n- name: app\n  newTag: v1\n");
      assertValid(input, result);
    }

    @Test
    void appendedAfterAFileOfOnlyComments() {
      String input = "# nothing here yet\n# really\n";
      SetImageResult result = set(input, "app:v1", "api:v2");

      assertThat(result.edited().newText())
          .isEqualTo(input + "images:\n- name: api\n  newTag: v2\n- name: app\n  newTag: v1\n");
      assertValid(input, result);
    }

    @Test
    void appendedToAnEmptyFile() {
      SetImageResult result = set("", "app:v1");

      assertThat(result.edited().newText()).isEqualTo("images:\n- name: app\n  newTag: v1\n");
      assertValid("", result);
    }

    @Test
    void imagesWithAnEmptyValueIsFilled() {
      String input = "images:\nkind: Kustomization\n";
      SetImageResult result = set(input, "b:v1", "a:v1");

      assertThat(result.edited().newText())
          .isEqualTo("images:\n- name: a\n  newTag: v1\n- name: b\n  newTag: v1\nkind: Kustomization\n");
      assertValid(input, result);
    }

    @Test
    void imagesWithAnEmptyValueAndAnInlineComment() {
      String input = "kind: Kustomization\nimages:   # none yet\n";
      SetImageResult result = set(input, "a:v1");

      assertThat(result.edited().newText()).isEqualTo(input + "- name: a\n  newTag: v1\n");
      assertValid(input, result);
    }

    @Test
    void imagesWithAnEmptyValueAtTheEndOfAFileWithoutAFinalNewline() {
      String input = "kind: Kustomization\nimages:";
      SetImageResult result = set(input, "a:v1");

      String out = result.edited().newText();
      assertThat(out).isEqualTo("kind: Kustomization\nimages:\n- name: a\n  newTag: v1");
      assertThat(compose(out)).hasSize(1);
      assertThat(images(out)).containsExactly(entry("name", "a", "newTag", "v1"));
    }

    @Test

    void appendedBeforeADocumentEndMarker() {
      String input = "kind: Kustomization\n...\n";
      SetImageResult result = set(input, "a:v1");

      assertThat(images(result.edited().newText())).containsExactly(entry("name", "a", "newTag", "v1"));
      assertValid(input, result);
    }

    @Test

    void appendedToAFlowMappingTopLevel() {
      String input = "{kind: Kustomization}\n";
      SetImageResult result = set(input, "a:v1");

      assertThat(images(result.edited().newText())).containsExactly(entry("name", "a", "newTag", "v1"));
      assertValid(input, result);
    }

    @Test

    void appendedToAnIndentedTopLevelMapping() {
      String input = "  kind: Kustomization\n  resources:\n  - x.yaml\n";
      SetImageResult result = set(input, "a:v1");

      assertThat(images(result.edited().newText())).containsExactly(entry("name", "a", "newTag", "v1"));
      assertValid(input, result);
    }

    @ParameterizedTest(name = "images: {0}")
    @ValueSource(strings = {"null", "~"})

    void imagesThatIsNullIsAnEmptyList(String nullValue) {
      String input = "kind: Kustomization\nimages: " + nullValue + "\n";
      SetImageResult result = set(input, "a:v1");

      String out = result.edited().newText();
      assertThat(out).isEqualTo("kind: Kustomization\nimages:\n- name: a\n  newTag: v1\n");
      assertThat(images(out)).containsExactly(entry("name", "a", "newTag", "v1"));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Order and duplicates

  @Nested
  class OrderAndDuplicates {
    @Test
    void entriesMoveWholeWithTheCommentLinesAboveThemIntoByteOrder() {
      String input =
          """
          kind: Kustomization
          images:
          # about z
          # (two lines)
          - name: z
            newTag: v1
          # about B
          - name: B
            newTag: v1 # B tag
          - name: a # a inline
            newTag: v1
          # after the list
          resources:
          - x.yaml
          """;
      SetImageResult result = set(input, "m:v1");

      assertThat(result.edited().newText())
          .isEqualTo(
              """
              kind: Kustomization
              images:
              # about B
              - name: B
                newTag: v1 # B tag
              - name: a # a inline
                newTag: v1
              - name: m
                newTag: v1
              # about z
              # (two lines)
              - name: z
                newTag: v1
              # after the list
              resources:
              - x.yaml
              """);
      assertThat(result.changes()).containsExactly(new EntryChange("m", "added", null, "m:v1"));
      assertValid(input, result);
    }

    @Test
    void anUnsortedListIsSortedEvenWhenNothingElseChanges() {
      String input = "images:\n- name: b\n  newTag: v1\n- name: a\n  newTag: v1\n";
      SetImageResult result = set(input, "a:v1");

      assertThat(result.edited().newText()).isEqualTo("images:\n- name: a\n  newTag: v1\n- name: b\n  newTag: v1\n");
      assertThat(result.changes()).isEmpty();
      assertValid(input, result);
    }

    @Test
    void sortingIsByBytesNotByLocale() {
      String input = "images:\n- name: web\n- name: Web\n- name: _web\n- name: 1web\n";
      SetImageResult result = set(input, "web:v1");

      assertThat(result.edited().newText())
          .isEqualTo("images:\n- name: 1web\n- name: Web\n- name: _web\n- name: web\n  newTag: v1\n");
      assertValid(input, result);
    }

    @Test
    void aDuplicateNameCollapsesIntoTheFirstEntryAndTheLaterLinesGo() {
      String input =
          """
          images:
          - name: a
            newTag: v1
          - name: b
            newTag: v1
          # the duplicate a
          - name: a
            newTag: v9
            digest: sha256:9999
          resources:
          - x.yaml
          """;
      SetImageResult result = set(input, "a:v2");

      assertThat(result.edited().newText())
          .isEqualTo("images:\n- name: a\n  newTag: v2\n- name: b\n  newTag: v1\nresources:\n- x.yaml\n");
      assertThat(result.changes())
          .containsExactly(
              new EntryChange("a", "updated", "a:v1", "a:v2"),
              new EntryChange("a", "removed", "a:v9@sha256:9999", null));
      assertValid(input, result);
    }

    @Test
    void aDuplicateOfAnUntouchedNameAlsoCollapsesIntoTheFirst() {
      String input = "images:\n- name: a\n  newTag: v1\n- name: a\n  newTag: v2\n";
      SetImageResult result = set(input, "b:v3");

      assertThat(result.edited().newText()).isEqualTo("images:\n- name: a\n  newTag: v1\n- name: b\n  newTag: v3\n");
      assertThat(result.changes())
          .containsExactly(new EntryChange("b", "added", null, "b:v3"), new EntryChange("a", "removed", "a:v2", null));
      assertValid(input, result);
    }

    @Test
    void starPartsComeFromTheFirstOfDuplicateEntries() {
      String input = "images:\n- name: a\n  newName: first\n- name: a\n  newName: second\n";
      SetImageResult result = set(input, "a=*:v2");

      assertThat(result.edited().newText()).isEqualTo("images:\n- name: a\n  newName: first\n  newTag: v2\n");
      assertValid(input, result);
    }

    @Test
    void theLastOfRepeatedArgumentsWins() {
      SetImageResult result = set("images:\n", "app:v1", "app:v2");

      assertThat(result.edited().newText()).isEqualTo("images:\n- name: app\n  newTag: v2\n");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // * keeps a part

  @Nested
  class Star {
    private static final String ENTRY =
        "images:\n- name: a\n  newName: x/a\n  newTag: v1\n  digest: sha256:d1\n  tagSuffix: -s\n";

    @ParameterizedTest(name = "{0}")
    @CsvSource(
        delimiter = '|',
        value = {
          "a=*:v2          | images:\\n- name: a\\n  newName: x/a\\n  newTag: v2\\n",
          "a=y/a:*@*       | images:\\n- name: a\\n  newName: y/a\\n  newTag: v1\\n  digest: sha256:d1\\n",
          "a:*@sha256:d2   | images:\\n- name: a\\n  newTag: v1\\n  digest: sha256:d2\\n",
          "a=*@sha256:d2   | images:\\n- name: a\\n  newName: x/a\\n  digest: sha256:d2\\n",
          "a=*:*@*         | images:\\n- name: a\\n  newName: x/a\\n  newTag: v1\\n  digest: sha256:d1\\n",
          "a=*             | images:\\n- name: a\\n  newName: x/a\\n",
          "a:*             | images:\\n- name: a\\n  newTag: v1\\n",
        })
    void starKeepsThatPartOfTheEntryAndTagSuffixIsDropped(String arg, String expected) {
      SetImageResult result = set(ENTRY, arg);

      assertThat(result.edited().newText()).isEqualTo(expected.replace("\\n", "\n"));
      assertValid(ENTRY, result);
    }

    @Test
    void starOnANewEntryLeavesThatPartOut() {
      String input = "images:\n- name: a\n";
      SetImageResult result = set(input, "b=*:*");

      assertThat(result.edited().newText()).isEqualTo("images:\n- name: a\n- name: b\n");
      assertThat(result.changes()).containsExactly(new EntryChange("b", "added", null, "b"));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Quoting

  @Nested
  class Quoting {
    @Test
    void untouchedUnquotedNumberIsKeptAndAChangedOneIsQuoted() {
      String input = "images:\n- name: a\n  newTag: 1.0\n- name: b\n  newTag: 1.0\n";
      SetImageResult result = set(input, "b:1.1");

      assertThat(result.edited().newText())
          .isEqualTo("images:\n- name: a\n  newTag: 1.0\n- name: b\n  newTag: \"1.1\"\n");
      assertThat(result.changes()).containsExactly(new EntryChange("b", "updated", "b:1.0", "b:1.1"));
      // the kept one still reads as a float, as it did; the written one reads as a string
      assertThat(imageTags(result.edited().newText()))
          .containsExactly(
              Map.of("name", Tag.STR, "newTag", Tag.FLOAT), Map.of("name", Tag.STR, "newTag", Tag.STR));
      assertValid(input, result);
    }

    @Test

    void settingAnUnquotedNumberToItsOwnValueQuotesIt() {
      String input = "images:\n- name: a\n  newTag: 1.0\n";
      SetImageResult result = set(input, "a:1.0");

      assertThat(result.edited().newText()).isEqualTo("images:\n- name: a\n  newTag: \"1.0\"\n");
      assertValid(input, result);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"1234", "3.2e2", "2024-01-15", "yes", "553640e6", "1.10", "true", "null", "0x1F"})
    void aValueYaml11ReadsAsANonStringIsDoubleQuoted(String tag) {
      String added = set("kind: Kustomization\n", "app:" + tag).edited().newText();
      assertThat(added).isEqualTo("kind: Kustomization\nimages:\n- name: app\n  newTag: \"" + tag + "\"\n");
      assertThat(images(added)).containsExactly(entry("name", "app", "newTag", tag));

      String input = "images:\n- name: app\n  newTag: old\n";
      SetImageResult edited = set(input, "app:" + tag);
      assertThat(edited.edited().newText()).isEqualTo("images:\n- name: app\n  newTag: \"" + tag + "\"\n");
      assertValid(input, edited);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"abc1234", "v1+build", "1.2.3", "latest"})
    void aStringStaysPlain(String tag) {
      String input = "images:\n- name: app\n  newTag: old\n";
      SetImageResult result = set(input, "app:" + tag);

      assertThat(result.edited().newText()).isEqualTo("images:\n- name: app\n  newTag: " + tag + "\n");
      assertValid(input, result);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // No-ops, BOM

  @Nested
  class NoOpAndBom {
    @ParameterizedTest(name = "{1}")
    @CsvSource(
        delimiter = '|',
        value = {
          "images:\\n- name: a   # keep\\n  newTag:  v1 # t\\nkind: K\\n  | a:v1",
          "images:\\n- name: a\\n  newTag: \"1.0\"\\n                  | a:1.0",
          "images:\\n- name: a\\n  newName: x/a\\n  newTag: v1\\n      | a=x/a:v1",
          "images:\\n- name: a\\n  newName: x/a\\n  newTag: v1\\n      | a=*:v1",
          "images:\\n- name: a\\n  digest: sha256:d\\n- name: b\\n     | a@sha256:d",
          "images: [{name: a, newTag: v1}]\\n                      | a:v1",
          "\\r\\nimages:\\r\\n  - name: a\\r\\n    newTag: v1\\r\\n    | a:v1",
        })
    void settingAnEntryToWhatItIsLeavesTheTextIdentical(String text, String arg) {
      String input = text.replace("\\n", "\n").replace("\\r", "\r");
      SetImageResult result = set(input, arg);

      assertThat(result.edited().newText()).isEqualTo(input);
      assertThat(result.edited().changed()).isFalse();
      assertThat(result.edited().edits()).isEmpty();
      assertThat(result.changes()).isEmpty();
    }

    @Test
    void bomIsKeptWhenAnEntryChanges() {
      String input = "\uFEFFkind: Kustomization\nimages:\n- name: a\n  newTag: v1\n";
      SetImageResult result = set(input, "a:v2", "b:v1");

      assertThat(result.edited().newText())
          .isEqualTo("\uFEFFkind: Kustomization\nimages:\n- name: a\n  newTag: v2\n- name: b\n  newTag: v1\n");
      assertValid(input, result);
    }

    @Test
    void bomIsKeptWhenImagesIsAppended() {
      String input = "\uFEFFkind: Kustomization\n";
      SetImageResult result = set(input, "a:v1");

      assertThat(result.edited().newText()).isEqualTo("\uFEFFkind: Kustomization\nimages:\n- name: a\n  newTag: v1\n");
      assertValid(input, result);
    }

    @Test
    void bomOnlyFileGetsImagesAfterTheBom() {
      SetImageResult result = set("\uFEFF", "a:v1");

      assertThat(result.edited().newText()).isEqualTo("\uFEFFimages:\n- name: a\n  newTag: v1\n");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Invalid input

  @Nested
  class InvalidInput {
    @Test
    void notYamlNamesLineAndColumn() {
      InvalidYamlException e =
          catchThrowableOfType(
              InvalidYamlException.class,
              () -> set("kind: Kustomization\n  bad: indent\nimages:\n- name: a\n", "a:v1"));

      assertThat(e).isNotNull();
      assertThat(e.file()).isEqualTo("kustomization.yaml");
      assertThat(e.line()).isEqualTo(2);
      assertThat(e.column()).isEqualTo(6);
      assertThat(e.getMessage()).startsWith("kustomization.yaml:2:6: ");
    }

    @Test
    void unclosedFlowListNamesWhereTheStreamEnds() {
      InvalidYamlException e =
          catchThrowableOfType(
              InvalidYamlException.class,
              () -> set("kind: K\nimages:\n- name: a\n  newTag: [v1\n", "a:v2"));

      assertThat(e).isNotNull();
      assertThat(e.line()).isEqualTo(5);
      assertThat(e.column()).isEqualTo(1);
      assertThat(e.getMessage()).startsWith("kustomization.yaml:5:1: ");
    }

    @Test
    void topLevelListIsRefused() {
      assertThatThrownBy(() -> set("- name: a\n- name: b\n", "a:v1"))
          .isInstanceOf(InvalidYamlException.class)
          .hasMessageStartingWith("kustomization.yaml:1:1: ");
    }

    @Test
    void topLevelScalarIsRefused() {
      assertThatThrownBy(() -> set("just words\n", "a:v1")).isInstanceOf(InvalidYamlException.class);
    }

    @Test
    void imagesThatIsAMappingIsRefusedAtItsValue() {
      InvalidYamlException e =
          catchThrowableOfType(InvalidYamlException.class, () -> set("kind: K\nimages:\n  a: b\n", "a:v1"));

      assertThat(e).isNotNull();
      assertThat(e.line()).isEqualTo(3);
      assertThat(e.column()).isEqualTo(3);
      assertThat(e.reason()).contains("images");
    }

    @Test
    void imagesThatIsAStringIsRefused() {
      assertThatThrownBy(() -> set("images: nginx\n", "a:v1"))
          .isInstanceOf(InvalidYamlException.class)
          .hasMessageStartingWith("kustomization.yaml:1:9: ");
    }

    @Test
    void imagesEntryThatIsNotAMappingIsRefused() {
      assertThatThrownBy(() -> set("images:\n- nginx\n", "a:v1"))
          .isInstanceOf(InvalidYamlException.class)
          .hasMessageStartingWith("kustomization.yaml:2:3: ");
    }

    @Test
    void twoDocumentsAreRefused() {
      assertThatThrownBy(() -> set("kind: Kustomization\n---\nkind: Kustomization\n", "a:v1"))
          .isInstanceOf(InvalidYamlException.class)
          .hasMessageStartingWith("kustomization.yaml: ")
          .hasMessageContaining("document")
          .hasMessageEndingWith("2");
    }

    @Test
    void aDuplicateImagesKeyIsRefused() {
      assertThatThrownBy(() -> set("images:\n- name: a\nimages:\n- name: b\n", "a:v1"))
          .isInstanceOf(InvalidYamlException.class)
          .hasMessageStartingWith("kustomization.yaml:3:1: ");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // ImageArg.parse

  @Nested
  class Parse {
    @ParameterizedTest(name = "{0}")
    @CsvSource(
        delimiter = '|',
        nullValues = "-",
        value = {
          // arg                                            | name               | newName                | newTag  | digest
          "image1=my-image1:my-tag                           | image1             | my-image1              | my-tag  | -",
          "image1=my-image1@sha256:abcd                      | image1             | my-image1              | -       | sha256:abcd",
          "image1=my-image1:my-tag@sha256:abcd               | image1             | my-image1              | my-tag  | sha256:abcd",
          "image1=my-image1                                  | image1             | my-image1              | -       | -",
          "image1:my-tag                                     | image1             | -                      | my-tag  | -",
          "image1:my-tag@sha256:abcd                         | image1             | -                      | my-tag  | sha256:abcd",
          "image1@sha256:abcd                                | image1             | -                      | -       | sha256:abcd",
          "ngnix=localhost:5000/my-project/ngnix             | ngnix              | localhost:5000/my-project/ngnix | - | -",
          "image1=foo.bar.foo:8800/foo/image1:foo-bar        | image1             | foo.bar.foo:8800/foo/image1 | foo-bar | -",
          "a=b=c                                             | a                  | b=c                    | -       | -",
          "=foo                                              | foo                | -                      | -       | -",
          ":v1                                               | -                  | -                      | v1      | -",
          "localhost:5000/app:v1                             | localhost:5000/app | -                      | v1      | -",
          "foo.com:443/nginx:1.2.3@sha256:12345              | foo.com:443/nginx  | -                      | 1.2.3   | sha256:12345",
          "busybox=:3.6                                      | busybox            | -                      | 3.6     | -",
          "busybox=alpine:                                   | busybox            | alpine                 | -       | -",
          "image1=*:*@*                                      | image1             | *                      | *       | *",
          "image1:*                                          | image1             | -                      | *       | -",
          "app:v1+build                                      | app                | -                      | v1+build | -",
        })
    void parsesAsKustomizeDoes(String arg, String name, String newName, String newTag, String digest) {
      assertThat(ImageArg.parse(arg))
          .isEqualTo(new ImageArg(orEmpty(name), orEmpty(newName), orEmpty(newTag), orEmpty(digest)));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"nginx", "", "localhost:5000/app", "ghcr.io/acme/web"})
    void refusesWithKustomizesText(String arg) {
      assertThatThrownBy(() -> ImageArg.parse(arg))
          .isInstanceOf(InvalidImageArgException.class)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(KUSTOMIZE_ERROR);
    }

    @Test
    void noArgumentsIsKustomizesNoImageSpecified() {
      assertThatThrownBy(() -> ImageArg.parseAll(List.of()))
          .isInstanceOf(InvalidImageArgException.class)
          .hasMessage("no image specified");
    }

    @Test
    void oneBadArgumentAmongGoodOnesFailsTheWhole() {
      assertThatThrownBy(() -> ImageArg.parseAll(List.of("a:v1", "bad", "b:v2")))
          .isInstanceOf(InvalidImageArgException.class)
          .hasMessage(KUSTOMIZE_ERROR);
    }

    private static String orEmpty(String s) {
      return s == null ? "" : s;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers, shared with KustomizeCorpusTest

  static SetImageResult set(String text, String... args) {
    return KustomizationImages.set(SourceText.of("kustomization.yaml", text), ImageArg.parseAll(Arrays.asList(args)));
  }

  static Map<String, String> entry(String... keysAndValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  private static void assertNoLoneLf(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        assertThat(i > 0 && text.charAt(i - 1) == '\r').as("LF without CR at %d in %s", i, text).isTrue();
      }
    }
  }

  /**
   * The checks every edit must pass: the output composes to one document, and the text outside
   * the images list (before the images key's line ends, after the list's last line) is the
   * input's, byte for byte.
   */
  static void assertValid(String input, SetImageResult result) {
    String out = result.edited().newText();
    assertThat(result.edited().source().text()).isEqualTo(input);
    List<Node> documents = compose(out);
    assertThat(documents).as("documents of\n%s", out).hasSize(1);
    assertThat(documents.get(0)).isInstanceOf(MappingNode.class);
    ImagesRegion before = ImagesRegion.of(input);
    ImagesRegion after = ImagesRegion.of(out);
    assertThat(after.present()).as("images in\n%s", out).isTrue();
    if (before.present()) {
      assertThat(after.prefix()).as("text before images").isEqualTo(before.prefix());
      assertThat(after.suffix()).as("text after images").isEqualTo(before.suffix());
    } else {
      // appended: one insertion, and nothing else changed
      assertThat(result.edited().edits()).as("edits").hasSize(1);
      TextEdit insertion = result.edited().edits().get(0);
      assertThat(insertion.start()).as("an insertion").isEqualTo(insertion.end());
      assertThat(input.substring(0, insertion.start()) + insertion.replacement() + input.substring(insertion.start()))
          .as("images inserted").isEqualTo(out);
    }
    // values written must read as strings (kustomize's reader refuses numbers, #4081)
    for (Map<String, Node> entry : imageNodes(out)) {
      for (Node value : entry.values()) {
        assertThat(value).isInstanceOf(ScalarNode.class);
      }
    }
    assertThat(result.edited().changed()).isEqualTo(!out.equals(input));
  }

  /** The images list of a text as string maps, in order (values as the parser reads them). */
  static List<Map<String, String>> images(String text) {
    List<Map<String, String>> out = new ArrayList<>();
    for (Map<String, Node> nodes : imageNodes(text)) {
      Map<String, String> fields = new LinkedHashMap<>();
      nodes.forEach((k, v) -> fields.put(k, ((ScalarNode) v).getValue()));
      out.add(fields);
    }
    return out;
  }

  /** The tags of the values of each images entry: STR unless written as a number, bool, ... */
  static List<Map<String, Tag>> imageTags(String text) {
    List<Map<String, Tag>> out = new ArrayList<>();
    for (Map<String, Node> nodes : imageNodes(text)) {
      Map<String, Tag> tags = new LinkedHashMap<>();
      nodes.forEach((k, v) -> tags.put(k, v.getTag()));
      out.add(tags);
    }
    return out;
  }

  private static List<Map<String, Node>> imageNodes(String text) {
    Optional<Node> images = imagesValue(text);
    List<Map<String, Node>> out = new ArrayList<>();
    if (images.isEmpty() || !(images.get() instanceof SequenceNode seq)) {
      return out;
    }
    for (Node item : seq.getValue()) {
      Map<String, Node> fields = new LinkedHashMap<>();
      for (NodeTuple t : ((MappingNode) item).getValue()) {
        fields.put(((ScalarNode) t.getKeyNode()).getValue(), t.getValueNode());
      }
      out.add(fields);
    }
    return out;
  }

  static Optional<Node> imagesValue(String text) {
    List<Node> docs = compose(text);
    if (docs.isEmpty() || !(docs.get(0) instanceof MappingNode root)) {
      return Optional.empty();
    }
    return imagesTuple(root).map(NodeTuple::getValueNode);
  }

  private static Optional<NodeTuple> imagesTuple(MappingNode root) {
    return root.getValue().stream()
        .filter(t -> t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("images"))
        .findFirst();
  }

  /** Composes with SnakeYAML Engine's defaults (core schema), independently of bumper's reader. */
  static List<Node> compose(String text) {
    String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
    List<Node> docs = new ArrayList<>();
    LoadSettings settings = LoadSettings.builder().setLabel("test").build();
    new Compose(settings).composeAllFromString(body).forEach(docs::add);
    return docs;
  }

  /**
   * Where the images list of a text is, worked out here from parser marks: {@code prefix} runs
   * to the end of the line of the {@code images} key (or, for a flow list, to its {@code [}),
   * {@code suffix} from the line after the list's last value (or from its {@code ]}). Comments
   * above the first entry are inside; comments after the last entry's last line are outside.
   */
  record ImagesRegion(boolean present, String text, int start, int end, boolean flow) {
    String prefix() {
      return text.substring(0, start);
    }

    String suffix() {
      return text.substring(end);
    }

    String list() {
      return text.substring(start, end);
    }

    static ImagesRegion of(String text) {
      int bom = text.startsWith("\uFEFF") ? 1 : 0;
      List<Node> docs = compose(text);
      if (docs.isEmpty() || !(docs.get(0) instanceof MappingNode root)) {
        return new ImagesRegion(false, text, text.length(), text.length(), false);
      }
      Optional<NodeTuple> tuple = imagesTuple(root);
      if (tuple.isEmpty()) {
        return new ImagesRegion(false, text, text.length(), text.length(), false);
      }
      Node key = tuple.get().getKeyNode();
      Node value = tuple.get().getValueNode();
      if (value instanceof SequenceNode seq && seq.getFlowStyle() == FlowStyle.FLOW) {
        int open = offset(text, bom, seq.getStartMark().orElseThrow());
        int close = offset(text, bom, seq.getEndMark().orElseThrow());
        return new ImagesRegion(true, text, open, close, true);
      }
      int start = afterLineBreak(text, offset(text, bom, key.getEndMark().orElseThrow()));
      if (!(value instanceof SequenceNode seq) || seq.getValue().isEmpty()) {
        return new ImagesRegion(true, text, start, start, false);
      }
      int end = afterLineBreak(text, lastContentEnd(text, bom, seq.getValue().get(seq.getValue().size() - 1)));
      return new ImagesRegion(true, text, start, end, false);
    }

    /** Each entry's own text: from its line (after the comment lines above it) to its last line. */
    static List<String> entryBlocks(String text) {
      int bom = text.startsWith("\uFEFF") ? 1 : 0;
      MappingNode root = (MappingNode) compose(text).get(0);
      SequenceNode seq = (SequenceNode) imagesTuple(root).orElseThrow().getValueNode();
      List<String> blocks = new ArrayList<>();
      for (Node item : seq.getValue()) {
        int itemStart = offset(text, bom, item.getStartMark().orElseThrow());
        int lineStart = itemStart;
        while (lineStart > 0 && text.charAt(lineStart - 1) != '\n' && text.charAt(lineStart - 1) != '\r') {
          lineStart--;
        }
        blocks.add(text.substring(lineStart, afterLineBreak(text, lastContentEnd(text, bom, item))));
      }
      return blocks;
    }

    private static int lastContentEnd(String text, int bom, Node node) {
      if (node instanceof MappingNode map && map.getFlowStyle() != FlowStyle.FLOW && !map.getValue().isEmpty()) {
        NodeTuple last = map.getValue().get(map.getValue().size() - 1);
        return lastContentEnd(text, bom, last.getValueNode());
      }
      if (node instanceof SequenceNode seq && seq.getFlowStyle() != FlowStyle.FLOW && !seq.getValue().isEmpty()) {
        return lastContentEnd(text, bom, seq.getValue().get(seq.getValue().size() - 1));
      }
      return offset(text, bom, node.getEndMark().orElseThrow());
    }

    private static int offset(String text, int bom, Mark mark) {
      return text.offsetByCodePoints(bom, mark.getIndex());
    }

    private static int afterLineBreak(String text, int from) {
      int i = from;
      while (i < text.length() && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
        i++;
      }
      if (i < text.length() && text.charAt(i) == '\r') {
        i++;
      }
      if (i < text.length() && text.charAt(i) == '\n') {
        i++;
      }
      return i;
    }
  }
}
