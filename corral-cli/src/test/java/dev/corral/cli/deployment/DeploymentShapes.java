package dev.corral.cli.deployment;

/**
 * Marathon 1.5 deployment JSON for tests: a {@code /v2/deployments} answer shaped like the API's
 * {@code deployments.json} example, and deployment events as {@code /v2/events} streams them.
 */
public final class DeploymentShapes {
  public static final String ID = "97c136bf-5a28-4821-9d94-480d9fbb01c8";
  public static final String EVENTS_PATH = DeploymentWatcher.EVENTS_PATH;

  private static final String STEP_1 = "{\"actions\":[{\"action\":\"ScaleApplication\",\"app\":\"/foo\"}]}";
  private static final String STEP_2 = "{\"actions\":[{\"action\":\"ScalePod\",\"pod\":\"/bla\"}]}";
  private static final String PLAN = "{\"id\":\"" + ID + "\",\"version\":\"2015-09-30T09:09:17.614Z\","
      + "\"original\":{\"id\":\"/\",\"apps\":[],\"groups\":[]},\"target\":{\"id\":\"/\",\"apps\":[],\"groups\":[]},"
      + "\"steps\":[" + STEP_1 + "," + STEP_2 + "]}";

  private DeploymentShapes() {}

  /** {@code GET /v2/deployments} while the deployment is at {@code step} of 2, its readiness check failing. */
  public static String listed(int step) {
    String current = step == 1
        ? "{\"action\":\"ScaleApplication\",\"app\":\"/foo\",\"readinessCheckResults\":[{\"taskId\":\"foo.c9de6033\","
            + "\"lastResponse\":{\"body\":\"{}\",\"contentType\":\"application/json\",\"status\":500},"
            + "\"name\":\"myReadyCheck\",\"ready\":false}]}"
        : "{\"action\":\"ScalePod\",\"pod\":\"/bla\"}";
    return "[{\"id\":\"" + ID + "\",\"version\":\"2015-09-30T09:09:17.614Z\",\"affectedApps\":[\"/foo\"],"
        + "\"affectedPods\":[\"/bla\"],\"steps\":[" + STEP_1 + "," + STEP_2 + "],"
        + "\"currentActions\":[" + current + "],\"currentStep\":" + step + ",\"totalSteps\":2}]";
  }

  /** The whole successful run: both steps start and succeed, then the deployment. */
  public static String successEvents() {
    return event("deployment_info", stepEvent("deployment_info", STEP_1))
        + event("deployment_step_success", stepEvent("deployment_step_success", STEP_1))
        + event("deployment_info", stepEvent("deployment_info", STEP_2))
        + event("deployment_step_success", stepEvent("deployment_step_success", STEP_2))
        + event("deployment_success", "{\"eventType\":\"deployment_success\",\"timestamp\":"
            + "\"2015-09-30T12:44:50.000Z\",\"id\":\"" + ID + "\",\"plan\":" + PLAN + "}");
  }

  /** The first step fails, then the deployment with {@code reason}. */
  public static String failureEvents(String reason) {
    return event("deployment_info", stepEvent("deployment_info", STEP_1))
        + event("deployment_step_failure", stepEvent("deployment_step_failure", STEP_1))
        + event("deployment_failed", "{\"eventType\":\"deployment_failed\",\"timestamp\":"
            + "\"2015-09-30T12:44:50.000Z\",\"id\":\"" + ID + "\",\"plan\":" + PLAN + ",\"reason\":\"" + reason
            + "\"}");
  }

  /** An event of another deployment, which a watcher must ignore. */
  public static String otherDeploymentSucceeded() {
    return event("deployment_success", "{\"eventType\":\"deployment_success\",\"id\":\"other-deployment\"}");
  }

  /** One event in the wire format. */
  public static String event(String type, String data) {
    return "event: " + type + "\ndata: " + data + "\n\n";
  }

  private static String stepEvent(String type, String step) {
    return "{\"eventType\":\"" + type + "\",\"timestamp\":\"2015-09-30T12:44:45.681Z\",\"plan\":" + PLAN
        + ",\"currentStep\":" + step + "}";
  }
}
