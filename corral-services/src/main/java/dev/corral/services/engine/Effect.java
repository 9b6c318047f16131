package dev.corral.services.engine;

import dev.corral.api.v1.TaskStatus;
import dev.corral.services.app.AppDefinition;
import dev.corral.services.instance.Instance;
import dev.corral.services.instance.TaskFailure;
import java.time.Duration;
import java.util.OptionalDouble;

/**
 * What a decision wants done, as data. The state machine ({@link InstanceStateMachine}), the planner
 * ({@link AppPlanner}) and the API commands return effects; {@link Engine#apply} is the one executor. State
 * effects change the in-memory model at once and become store operations of one commit; driver effects
 * ({@link Kill}, {@link Acknowledge}) are issued only after that commit is durable.
 */
public sealed interface Effect {

  /** Store the app's (new) definition and a copy under its version. */
  record PutApp(AppDefinition app) implements Effect {}

  /** Forget the app, its versions and its last failure; its instances are decommissioned separately. */
  record RemoveApp(String appId) implements Effect {}

  /** Store an instance (new or changed). */
  record PutInstance(Instance instance) implements Effect {}

  /** Forget an instance whose task is terminal (or that never had one). */
  record ExpungeInstance(String instanceId) implements Effect {}

  /** Remember an app's last unexpected task end. */
  record RecordFailure(TaskFailure failure) implements Effect {}

  /**
   * Count a failure against the app's launch backoff (soft state, not stored).
   *
   * @param ranFor how long the task had been RUNNING; null when it never was
   */
  record CountFailure(String appId, Duration ranFor) implements Effect {}

  /** Store a deployment (new, or moved to its next step). */
  record PutDeployment(Deployment deployment) implements Effect {}

  /** Forget a deployment (finished, or cancelled). */
  record RemoveDeployment(String deploymentId) implements Effect {}

  /** Store an explicit group. */
  record PutGroup(GroupRecord group) implements Effect {}

  /** Forget an explicit group. */
  record RemoveGroup(String groupId) implements Effect {}

  /** Store the framework id the master assigned. */
  record SaveFrameworkId(String frameworkId) implements Effect {}

  /** Ask the master to kill a task (after the commit). */
  record Kill(String taskId, String agentId, OptionalDouble gracePeriodSeconds) implements Effect {}

  /** Acknowledge a status update (after the commit that recorded it); skipped when it has no uuid. */
  record Acknowledge(TaskStatus status) implements Effect {}
}
