package dev.p2pchat.lab;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test class one {@link Lab}: built before its first test, torn down after its last, and
 * injected into any constructor, test method or {@code @BeforeAll} parameter of type {@code Lab}.
 *
 * <pre>
 * &#64;ExtendWith(LabExtension.class)
 * class ChatAcrossRoutersIT {
 *   &#64;Test void talks(Lab lab) { ... lab.homeA().host().java(...) ... }
 * }
 * </pre>
 *
 * <p>Where no lab can run (not root, a tool missing) the class is skipped with a message naming
 * what to install; but when the environment variable {@code CI} is {@code true} it fails
 * instead, so a CI machine that lost its lab cannot pass by skipping. {@code @Nested} classes share
 * the lab of the class enclosing them.
 */
public final class LabExtension
    implements ExecutionCondition, BeforeAllCallback, AfterAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(LabExtension.class);
  private static final String KEY = "lab";

  private final Supplier<Optional<String>> unavailableReason;
  private final Function<String, String> environment;

  /** The extension as {@code @ExtendWith} makes it: checks this machine and this environment. */
  public LabExtension() {
    this(Lab::unavailableReason, System::getenv);
  }

  /** For tests of the extension: a machine check and environment of their choosing. */
  LabExtension(Supplier<Optional<String>> unavailableReason,
      Function<String, String> environment) {
    this.unavailableReason = unavailableReason;
    this.environment = environment;
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<String> reason = unavailableReason.get();
    if (reason.isEmpty()) {
      return ConditionEvaluationResult.enabled("the lab can run here");
    }
    if (onCi()) {
      return ConditionEvaluationResult.enabled("CI=true: failing rather than skipping");
    }
    return ConditionEvaluationResult.disabled("no network lab here: " + reason.get());
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    lab(context);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    Lab lab = context.getStore(NAMESPACE).remove(KEY, Lab.class);
    if (lab != null) {
      lab.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Lab.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    try {
      return lab(context);
    } catch (IOException e) {
      throw new ParameterResolutionException("could not build the lab: " + e.getMessage(), e);
    }
  }

  /**
   * The lab visible from {@code context}, built on first use: in beforeAll, or earlier when a
   * per-class test instance's constructor asks for it.
   */
  private Lab lab(ExtensionContext context) throws IOException {
    ExtensionContext.Store store = context.getStore(NAMESPACE);
    Lab lab = store.get(KEY, Lab.class);
    if (lab == null) {
      Optional<String> reason = unavailableReason.get();
      if (reason.isPresent()) {
        throw new IllegalStateException("CI=true but the network lab cannot run on this machine: "
            + reason.get());
      }
      lab = Lab.create();
      store.put(KEY, lab);
    }
    return lab;
  }

  private boolean onCi() {
    return "true".equalsIgnoreCase(environment.apply("CI"));
  }
}
