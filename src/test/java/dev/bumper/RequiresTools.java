package dev.bumper;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The programs a test class runs besides Java and git, by their command names in
 * {@code src/test/tools.tsv}. When one is missing the class is skipped and recorded for
 * {@code ./test.sh}'s summary; under {@code CI=true} it fails instead, naming the program, so
 * that CI never passes by skipping.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiredToolsCondition.class)
public @interface RequiresTools {
  String[] value();
}
