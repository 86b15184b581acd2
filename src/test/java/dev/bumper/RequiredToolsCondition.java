package dev.bumper;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** Runs a {@link RequiresTools} class only where its programs are installed (see there). */
final class RequiredToolsCondition implements ExecutionCondition {
  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    // Found on the class's own context only: a method inherits the class's verdict.
    Optional<RequiresTools> required = AnnotationSupport.findAnnotation(context.getElement(), RequiresTools.class);
    if (required.isEmpty()) {
      return ConditionEvaluationResult.enabled("no programs required");
    }
    List<Tools.Tool> missing = Tools.missing(required.get().value());
    if (missing.isEmpty()) {
      return ConditionEvaluationResult.enabled("programs installed");
    }
    String reason = Tools.describe(missing);
    if (Tools.ci()) {
      throw new AssertionError(reason + "; under CI=true no test is skipped (./test.sh installs them)");
    }
    Tools.recordSkip(context.getRequiredTestClass(), missing);
    return ConditionEvaluationResult.disabled(reason);
  }
}
