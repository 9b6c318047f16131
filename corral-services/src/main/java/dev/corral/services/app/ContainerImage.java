package dev.corral.services.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.api.v1.ContainerInfo;
import java.util.Optional;

/**
 * The image an instance runs in, from Marathon's {@code container: {type: DOCKER|MESOS, docker: {image,
 * forcePullImage}}}. Both types mean the same here: the agent's {@code oci} containerizer runs the image
 * (there is no Docker daemon). Pods would map their {@code containers[].image: {id, forcePull}} to the same
 * value, so the agent needs no second path. Immutable.
 *
 * @param image the reference as written ({@code registry:5000/name:tag}); the agent resolves it
 * @param forcePull pull even when the agent has the image cached
 * @param privileged Marathon's {@code docker.privileged}: only agents that allow it ({@code --allow-privileged})
 *     run such a task
 */
public record ContainerImage(String image, boolean forcePull, boolean privileged) {

  /** The app's image; empty when it has none (the task runs on the agent's filesystem). */
  public static Optional<ContainerImage> of(AppDefinition app) {
    JsonNode docker = app.node().path("container").path("docker");
    String image = docker.path("image").asText("");
    if (image.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ContainerImage(image, docker.path("forcePullImage").asBoolean(false),
        docker.path("privileged").asBoolean(false)));
  }

  public ContainerInfo toProto() {
    return ContainerInfo.newBuilder().setImage(image).setForcePull(forcePull).setPrivileged(privileged).build();
  }
}
