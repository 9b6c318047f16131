package dev.corral.agent.files;

/**
 * One line of a directory listing, shaped like Mesos' {@code /files/browse} entries.
 *
 * @param path relative to the sandbox, with {@code /} separators
 * @param mtime seconds since the epoch, as Mesos reports it
 * @param mode {@code ls -l} style, e.g. {@code -rw-r--r--} or {@code drwxr-xr-x}
 */
public record FileEntry(String path, long size, long mtime, String mode, boolean isDir) {}
