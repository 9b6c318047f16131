/**
 * The {@code oci} containerizer: each task in an OCI container run by {@code runc} (or {@code crun}) from a
 * bundle the agent writes, watched by the same task monitor as process tasks. See {@code docs/containers.md}.
 */
package dev.corral.agent.oci;
