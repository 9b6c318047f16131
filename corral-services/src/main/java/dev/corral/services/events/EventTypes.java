package dev.corral.services.events;

import java.util.Set;

/**
 * The event types of the stream: Marathon's (every version's, so that a filter written for any Marathon is
 * accepted even when Corral never emits that type) and Corral's two stream notices.
 */
public final class EventTypes {
  public static final String API_POST = "api_post_event";
  public static final String STATUS_UPDATE = "status_update_event";
  public static final String INSTANCE_CHANGED = "instance_changed_event";
  public static final String HEALTH_STATUS_CHANGED = "health_status_changed_event";
  public static final String UNHEALTHY_INSTANCE_KILL = "unhealthy_instance_kill_event";
  public static final String FAILED_HEALTH_CHECK = "failed_health_check_event";
  public static final String DEPLOYMENT_INFO = "deployment_info";
  public static final String DEPLOYMENT_SUCCESS = "deployment_success";
  public static final String DEPLOYMENT_FAILED = "deployment_failed";
  public static final String DEPLOYMENT_STEP_SUCCESS = "deployment_step_success";
  public static final String DEPLOYMENT_STEP_FAILURE = "deployment_step_failure";
  public static final String GROUP_CHANGE_SUCCESS = "group_change_success";
  public static final String GROUP_CHANGE_FAILED = "group_change_failed";
  public static final String APP_TERMINATED = "app_terminated_event";
  public static final String POD_CREATED = "pod_created_event";
  public static final String POD_UPDATED = "pod_updated_event";
  public static final String POD_DELETED = "pod_deleted_event";
  public static final String STREAM_ATTACHED = "event_stream_attached";
  public static final String STREAM_DETACHED = "event_stream_detached";

  /**
   * Corral's notice to one client that it fell too far behind and is being disconnected; it says the last
   * event id the client was sent, from which it can resume. Never filtered out, never stored.
   */
  public static final String STREAM_OVERFLOW = "event_stream_overflow";
  /**
   * Corral's notice to one resuming client that the events after its {@code Last-Event-ID} are no longer
   * kept; it says from which id the stream goes on. Never filtered out, never stored.
   */
  public static final String STREAM_GAP = "event_stream_gap";

  /** Every type a client may name in {@code event_type}. */
  public static final Set<String> KNOWN = Set.of(
      API_POST, STATUS_UPDATE, INSTANCE_CHANGED, HEALTH_STATUS_CHANGED, UNHEALTHY_INSTANCE_KILL,
      FAILED_HEALTH_CHECK, DEPLOYMENT_INFO, DEPLOYMENT_SUCCESS, DEPLOYMENT_FAILED, DEPLOYMENT_STEP_SUCCESS,
      DEPLOYMENT_STEP_FAILURE, GROUP_CHANGE_SUCCESS, GROUP_CHANGE_FAILED, APP_TERMINATED, POD_CREATED,
      POD_UPDATED, POD_DELETED, STREAM_ATTACHED, STREAM_DETACHED, STREAM_OVERFLOW, STREAM_GAP,
      // Marathon types Corral does not emit (yet); accepted in filters.
      "scheduler_registered_event", "scheduler_reregistered_event", "scheduler_disconnected_event",
      "subscribe_event", "unsubscribe_event", "add_health_check_event", "remove_health_check_event",
      "unhealthy_task_kill_event", "unknown_instance_terminated_event", "unknown_task_terminated_event",
      "instance_health_changed_event", "framework_message_event");

  private EventTypes() {}
}
