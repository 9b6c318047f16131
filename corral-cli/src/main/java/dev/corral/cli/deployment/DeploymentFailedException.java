package dev.corral.cli.deployment;

import dev.corral.cli.output.HintedException;
import java.util.List;

/** The server reported that a deployment being watched failed; the command exits 1. */
public final class DeploymentFailedException extends HintedException {
  private static final long serialVersionUID = 1L;

  DeploymentFailedException(String message, List<String> hints) {
    super(message, hints);
  }
}
