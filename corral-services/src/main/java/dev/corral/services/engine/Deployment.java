package dev.corral.services.engine;

import java.time.Instant;

/**
 * A change to an app that is still being carried out. Soft state: Corral's deployments are simple (one app,
 * one step: start, scale, restart or stop) and are not stored; after a restart the planner simply carries on
 * towards the stored goal, without a deployment to show for it.
 *
 * @param action Marathon's action name: StartApplication, ScaleApplication, RestartApplication,
 *     StopApplication
 */
public record Deployment(String id, String version, String appId, String action, Instant startedAt) {}
