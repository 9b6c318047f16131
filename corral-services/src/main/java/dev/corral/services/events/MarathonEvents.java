package dev.corral.services.events;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.api.v1.TaskStatus;
import dev.corral.common.Json;
import dev.corral.services.api.AppJson;
import dev.corral.services.app.AppDefinition;
import dev.corral.services.instance.Instance;
import dev.corral.services.instance.InstanceState;
import dev.corral.services.instance.LaunchedTask;
import java.util.Locale;

/**
 * Marathon's event bodies (Marathon 1.5, {@code core/event/Events.scala}), built from Corral's types. Each
 * builder returns a fresh node with Marathon's fields in Marathon's order and {@code eventType} set; the
 * {@link EventBus} adds {@code timestamp} when it publishes it ({@link EventBus#publish(ObjectNode)}).
 *
 * <p>Builders taking an {@code ObjectNode} (a deployment plan, a step, a health check) take it as already
 * rendered in Marathon's shape by its owner (deployments, health checks) and embed it unchanged.
 */
public final class MarathonEvents {
  private MarathonEvents() {}

  // ---------------------------------------------------------------- API and apps

  /** An API request changed an app (create, update, delete): the app as stored, with Marathon's defaults. */
  public static ObjectNode apiPost(AppDefinition app, RequestOrigin origin) {
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("clientIp", origin.clientIp());
    n.put("uri", origin.uri());
    n.set("appDefinition", AppJson.withDefaults(app));
    return typed(n, EventTypes.API_POST);
  }

  /** The app was deleted: its tasks are being killed. */
  public static ObjectNode appTerminated(String appId) {
    ObjectNode n = Json.mapper().createObjectNode().put("appId", appId);
    return typed(n, EventTypes.APP_TERMINATED);
  }

  /**
   * A pod was created, updated or deleted through the API ({@code pod_created_event} and its two siblings).
   * Marathon's carry only the request's address and URI; Corral adds {@code podId}, which the URI of a
   * {@code POST /v2/pods} lacks, so that the stream can be filtered by pod.
   */
  public static ObjectNode pod(String eventType, String podId, RequestOrigin origin) {
    if (!eventType.equals(EventTypes.POD_CREATED) && !eventType.equals(EventTypes.POD_UPDATED)
        && !eventType.equals(EventTypes.POD_DELETED)) {
      throw new IllegalArgumentException("not a pod event type: " + eventType);
    }
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("clientIp", origin.clientIp());
    n.put("uri", origin.uri());
    n.put("podId", podId);
    return typed(n, eventType);
  }

  // ---------------------------------------------------------------- tasks and instances

  /**
   * A task status was applied to its instance.
   *
   * @param instance the instance as it was before the status (it still has the task; a terminal status may
   *     have taken the task away since)
   */
  public static ObjectNode statusUpdate(TaskStatus status, Instance instance) {
    LaunchedTask t = instance.task();
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("slaveId", status.getAgentId().isEmpty() ? t.agentId() : status.getAgentId());
    n.put("taskId", status.getTaskId());
    n.put("taskStatus", status.getState().name());
    n.put("message", status.getMessage());
    n.put("appId", instance.appId());
    n.put("host", t.host());
    // the status's own addresses, else those known from an earlier one; [] on the host's network, as Marathon
    n.set("ipAddresses", dev.corral.services.api.TaskJson.ipAddresses(
        status.getIpAddressesCount() > 0 ? status.getIpAddressesList() : t.ipAddresses()));
    ArrayNode ports = n.putArray("ports");
    t.hostPorts().forEach(ports::add);
    n.put("version", t.appVersion());
    return typed(n, EventTypes.STATUS_UPDATE);
  }

  /**
   * An instance's condition changed.
   *
   * @param instance the instance; its task (if any) gives the agent and host
   * @param condition the new condition; may differ from {@code instance.state()} for a terminal state, which
   *     the scheduler never keeps (the instance is relaunched or forgotten in the same step)
   * @param app the app's current definition, for the version of a task-less instance; null when deleted
   */
  public static ObjectNode instanceChanged(Instance instance, InstanceState condition, AppDefinition app) {
    LaunchedTask t = instance.task();
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("instanceId", instance.id());
    n.put("condition", condition(condition));
    n.put("runSpecId", instance.appId());
    n.put("agentId", t == null ? null : t.agentId());
    n.put("host", t == null ? null : t.host());
    String version = t != null ? t.appVersion()
        : app != null && app.configVersion().equals(instance.configVersion()) ? app.version()
        : instance.configVersion();
    n.put("runSpecVersion", version);
    return typed(n, EventTypes.INSTANCE_CHANGED);
  }

  /** Marathon's condition name of an instance state: {@code Running}, {@code Killed}, {@code Scheduled}, … */
  public static String condition(InstanceState state) {
    String name = state.name().toLowerCase(Locale.ROOT);
    return Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }

  // ---------------------------------------------------------------- health

  /** A health check of an instance's task failed. */
  public static ObjectNode failedHealthCheck(String appId, String instanceId, ObjectNode healthCheck) {
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("appId", appId);
    n.put("instanceId", instanceId);
    n.set("healthCheck", healthCheck);
    return typed(n, EventTypes.FAILED_HEALTH_CHECK);
  }

  /** An instance became healthy ({@code alive}) or unhealthy. */
  public static ObjectNode healthStatusChanged(String appId, String instanceId, String version, boolean alive) {
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("appId", appId);
    n.put("instanceId", instanceId);
    n.put("version", version);
    n.put("alive", alive);
    return typed(n, EventTypes.HEALTH_STATUS_CHANGED);
  }

  /** An instance is killed because its task failed too many health checks. */
  public static ObjectNode unhealthyInstanceKill(String appId, String taskId, String instanceId, String version,
      String reason, String host, String slaveId) {
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("appId", appId);
    n.put("taskId", taskId);
    n.put("instanceId", instanceId);
    n.put("version", version);
    n.put("reason", reason);
    n.put("host", host);
    n.put("slaveId", slaveId);
    return typed(n, EventTypes.UNHEALTHY_INSTANCE_KILL);
  }

  // ---------------------------------------------------------------- deployments and groups

  /** A deployment plan started or moved to its next step ({@code deployment_info}). */
  public static ObjectNode deploymentInfo(ObjectNode plan, ObjectNode currentStep) {
    return planAndStep(plan, currentStep, EventTypes.DEPLOYMENT_INFO);
  }

  public static ObjectNode deploymentStepSuccess(ObjectNode plan, ObjectNode currentStep) {
    return planAndStep(plan, currentStep, EventTypes.DEPLOYMENT_STEP_SUCCESS);
  }

  public static ObjectNode deploymentStepFailure(ObjectNode plan, ObjectNode currentStep) {
    return planAndStep(plan, currentStep, EventTypes.DEPLOYMENT_STEP_FAILURE);
  }

  public static ObjectNode deploymentSuccess(String deploymentId, ObjectNode plan) {
    return idAndPlan(deploymentId, plan, EventTypes.DEPLOYMENT_SUCCESS);
  }

  public static ObjectNode deploymentFailed(String deploymentId, ObjectNode plan) {
    return idAndPlan(deploymentId, plan, EventTypes.DEPLOYMENT_FAILED);
  }

  public static ObjectNode groupChangeSuccess(String groupId, String version) {
    ObjectNode n = Json.mapper().createObjectNode().put("groupId", groupId).put("version", version);
    return typed(n, EventTypes.GROUP_CHANGE_SUCCESS);
  }

  public static ObjectNode groupChangeFailed(String groupId, String version, String reason) {
    ObjectNode n = Json.mapper().createObjectNode().put("groupId", groupId).put("version", version)
        .put("reason", reason);
    return typed(n, EventTypes.GROUP_CHANGE_FAILED);
  }

  // ---------------------------------------------------------------- the stream itself

  public static ObjectNode streamAttached(String remoteAddress) {
    return typed(Json.mapper().createObjectNode().put("remoteAddress", remoteAddress), EventTypes.STREAM_ATTACHED);
  }

  public static ObjectNode streamDetached(String remoteAddress) {
    return typed(Json.mapper().createObjectNode().put("remoteAddress", remoteAddress), EventTypes.STREAM_DETACHED);
  }

  private static ObjectNode planAndStep(ObjectNode plan, ObjectNode currentStep, String type) {
    ObjectNode n = Json.mapper().createObjectNode();
    n.set("plan", plan);
    n.set("currentStep", currentStep);
    return typed(n, type);
  }

  private static ObjectNode idAndPlan(String deploymentId, ObjectNode plan, String type) {
    ObjectNode n = Json.mapper().createObjectNode().put("id", deploymentId);
    n.set("plan", plan);
    return typed(n, type);
  }

  private static ObjectNode typed(ObjectNode n, String type) {
    return n.put("eventType", type);
  }
}
