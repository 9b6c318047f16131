package dev.corral.services.instance;

/** What the scheduler wants of an instance. Written only by the scheduler (API changes, planning). */
public enum Goal {
  /** Keep a task of the app's current config running; relaunch it when it ends. */
  RUNNING,
  /** Kill the task, if any, and forget the instance once the task is terminal. */
  DECOMMISSIONED
}
