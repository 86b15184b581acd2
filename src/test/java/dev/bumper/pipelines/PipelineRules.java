package dev.bumper.pipelines;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules Semaphore enforces beyond its schema (see the schema's SOURCES.md): when one block
 * declares dependencies all must, block names are unique and dependencies name blocks of the
 * pipeline; and a promotion's pipeline file exists beside the pipeline that names it.
 */
final class PipelineRules {
  private PipelineRules() {}

  static List<String> problems(Path pipelineFile, Object pipeline) {
    List<String> problems = new ArrayList<>();
    if (!(pipeline instanceof Map<?, ?> root)) {
      problems.add("not a mapping");
      return problems;
    }
    List<Map<?, ?>> blocks = maps(root.get("blocks"));
    Set<String> names = new HashSet<>();
    int withDependencies = 0;
    for (Map<?, ?> block : blocks) {
      Object name = block.get("name");
      if (name != null && !names.add(name.toString())) {
        problems.add("two blocks are named '" + name + "'");
      }
      if (block.containsKey("dependencies")) {
        withDependencies++;
      }
    }
    if (withDependencies > 0 && withDependencies < blocks.size()) {
      problems.add("some blocks declare dependencies and others do not");
    }
    for (Map<?, ?> block : blocks) {
      if (block.get("dependencies") instanceof List<?> dependencies) {
        for (Object dependency : dependencies) {
          if (!names.contains(String.valueOf(dependency))) {
            problems.add("block '" + block.get("name") + "' depends on no block named '" + dependency + "'");
          }
        }
      }
    }
    for (Map<?, ?> promotion : maps(root.get("promotions"))) {
      Object file = promotion.get("pipeline_file");
      if (file != null && !Files.isRegularFile(pipelineFile.resolveSibling(file.toString()))) {
        problems.add("promotion '" + promotion.get("name") + "' names a missing pipeline file " + file);
      }
    }
    return problems;
  }

  private static List<Map<?, ?>> maps(Object list) {
    List<Map<?, ?>> maps = new ArrayList<>();
    if (list instanceof List<?> items) {
      for (Object item : items) {
        if (item instanceof Map<?, ?> map) {
          maps.add(map);
        }
      }
    }
    return maps;
  }
}
