/**
 * Container images for the {@code oci} containerizer: pulled from a registry or loaded from a {@code docker
 * save} tarball with skopeo, unpacked with umoci into a root filesystem cached by digest ({@link ImageStore}),
 * and the image's own command, environment, working directory and user ({@link ImageConfig}).
 */
package dev.corral.agent.image;
