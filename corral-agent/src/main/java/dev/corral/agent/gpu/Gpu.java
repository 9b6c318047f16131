package dev.corral.agent.gpu;

/**
 * One NVIDIA GPU of this node.
 *
 * @param index the index nvidia-smi and CUDA use ({@code CUDA_VISIBLE_DEVICES})
 * @param minor the minor number of its device node {@code /dev/nvidia<minor>} (character major 195)
 * @param uuid the GPU's UUID ({@code GPU-…}), stable across reboots and index renumbering
 * @param memoryMib its memory in MiB
 */
public record Gpu(int index, int minor, String uuid, String name, long memoryMib) {
  /** The character device major of NVIDIA GPUs and their control nodes. */
  public static final int DEVICE_MAJOR = 195;
}
