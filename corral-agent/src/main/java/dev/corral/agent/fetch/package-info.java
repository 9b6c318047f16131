/**
 * The fetcher: puts a task's artifacts into its sandbox before it starts (Marathon's {@code fetch} and
 * {@code uris}, Mesos's fetcher). {@link dev.corral.agent.fetch.Fetcher} is the entry point; it downloads
 * {@code http(s)://} and copies {@code file://} URIs (with an agent-wide, size-bounded cache for those marked
 * {@code cache}), resolves {@code maven://} coordinates with Maven Resolver into a flat {@code lib/}, unpacks
 * archives and sets executable bits. Depends only on the API model.
 */
package dev.corral.agent.fetch;
