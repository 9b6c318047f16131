package dev.corral.services.instance;

/** What the scheduler wants of an instance. Written only by the scheduler (API changes, planning). */
public enum Goal {
  /** Keep a task of the app's current config running; relaunch it when it ends. */
  RUNNING,
  /**
   * Kill the task, if any, and keep the instance's reservation and persistent volumes (resident apps): a
   * scale-up or a new version takes the instance up again, with its data.
   */
  STOPPED,
  /**
   * Kill the task, if any, and forget the instance once the task is terminal; a resident instance's volumes
   * are destroyed and its resources unreserved first.
   */
  DECOMMISSIONED
}
