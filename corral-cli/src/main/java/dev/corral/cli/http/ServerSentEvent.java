package dev.corral.cli.http;

/**
 * One event of a {@code text/event-stream}: its {@code event:} name ({@code message} when the server sent
 * none) and its {@code data:} lines joined by newlines.
 */
public record ServerSentEvent(String type, String data) {}
