package dev.corral.services.app;

/**
 * One reason a definition is invalid: a JSON pointer into the submitted document and what is wrong there.
 * Rendered by the API as Marathon's {@code {"path": "/cpus", "errors": ["must be >= 0"]}}.
 */
public record Violation(String path, String error) {}
