package dev.corral.gateway;

import dev.corral.master.OperatorException;
import dev.corral.state.SecretStore;
import io.javalin.config.JavalinConfig;
import java.time.Duration;
import java.util.Map;

/**
 * The gateway's routes on the master's HTTP server: task logs and files forwarded to agents
 * ({@link TaskFilesRoutes}), {@code task exec} passed through to them ({@link ExecProxy}), the
 * {@code /service/<name>/} proxy ({@link ServiceProxy}), and metrics and the agent list ({@link MetricsRoutes}).
 *
 * <p>Mounting, beside the other modules' routes:
 * <pre>{@code
 * Gateway gateway = new Gateway(master::taskEndpoint, services::serviceTargets, AgentDirectory.of(master),
        AccessCheck.ALLOW_ALL);
 * Javalin.create(config -> { marathonApi.install(config); gateway.install(config); });
 * }</pre>
 * Lookups run on the master's and the scheduler's loops (their futures); proxied exchanges are asynchronous
 * ({@link Forwarder}) or, where they block, on the gateway's own bounded pool, never on Jetty's threads;
 * {@link #close} stops both.
 */
public final class Gateway implements AutoCloseable {
  /** Proxied exchanges at once; each may be a long log stream. */
  static final int MAX_EXCHANGES = 256;

  private final ProxyPool pool = new ProxyPool(MAX_EXCHANGES);
  private final Forwarder forwarder = new Forwarder(Duration.ofSeconds(5));
  private final TaskLocator tasks;
  private final ServiceLocator services;
  private final AgentDirectory agents;
  private final AccessCheck access;
  private TaskOwner owner = TaskOwner.NONE;
  private NodeOperations nodes;
  private SecretStore secrets;
  private Map<String, String> agentHeaders = Map.of();

  /** Without authorization: every caller may do everything. */
  public Gateway(TaskLocator tasks, ServiceLocator services) {
    this(tasks, services, AgentDirectory.NONE, AccessCheck.ALLOW_ALL);
  }

  /**
   * @param agents the agents' list and addresses, for metrics ({@link MetricsRoutes})
   * @param access who may exec into which task, read its logs and files
   */
  public Gateway(TaskLocator tasks, ServiceLocator services, AgentDirectory agents, AccessCheck access) {
    this.tasks = tasks;
    this.services = services;
    this.agents = agents;
    this.access = access;
  }

  /**
   * Tells the task routes which app or pod a task belongs to, for permissions per app ({@link AccessCheck});
   * before {@link #install}. Without it only cluster-wide permissions apply.
   */
  public Gateway withTaskOwner(TaskOwner taskOwner) {
    this.owner = taskOwner;
    return this;
  }

  /** Serves the secret store's API ({@link SecretRoutes}) too; before {@link #install}. */
  public Gateway withSecrets(SecretStore store) {
    this.secrets = store;
    return this;
  }

  /** Serves the maintenance operator API ({@link MaintenanceRoutes}) too; before {@link #install}. */
  public Gateway withNodeOperations(NodeOperations operations) {
    this.nodes = operations;
    return this;
  }

  /**
   * Sends the cluster secret with every call to an agent's HTTP API (logs, files, metrics, exec), whose
   * agents then refuse anyone else; before {@link #install}.
   */
  public Gateway withAgentSecret(String headerName, String secret) {
    this.agentHeaders = Map.of(headerName, secret);
    return this;
  }

  /**
   * Adds the routes ({@code /system/v1/logs}, {@code /system/v1/files}, {@code /system/v1/exec},
   * {@code /service}, the metrics', {@code /master/slaves}, {@code /metrics}, {@code /secrets/v1}); nothing else.
   */
  public void install(JavalinConfig config) {
    new TaskFilesRoutes(tasks, owner, access, forwarder, pool, agentHeaders).install(config.routes);
    new ServiceProxy(services, forwarder, pool).install(config.routes);
    new ServiceWebSocketProxy(services).install(config.routes);
    new MetricsRoutes(agents, tasks, forwarder, pool, agentHeaders).install(config.routes);
    new ExecProxy(tasks, owner, access, agentHeaders).install(config.routes);
    if (nodes != null) {
      new MaintenanceRoutes(nodes).install(config.routes);
      new RoleRoutes(nodes).install(config.routes);
    }
    if (secrets != null) {
      new SecretRoutes(secrets).install(config.routes);
    }
    config.routes.exception(OperatorException.class, (e, ctx) -> Replies.json(ctx, e.status(), e.getMessage()));
    config.routes.exception(ExecProxy.Refused.class, (e, ctx) -> ExecProxy.refuse(ctx, e));
  }

  @Override
  public void close() {
    pool.close();
    forwarder.close();
  }
}
