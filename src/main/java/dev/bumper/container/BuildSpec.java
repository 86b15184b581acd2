package dev.bumper.container;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything {@code build-image} was asked for, parsed.
 *
 * @param to where the image goes (or the name it gets in {@code tar})
 * @param platforms the platforms to build for; empty for the base's (or linux/amd64)
 * @param layers one layer each, in order
 * @param entrypoint the entrypoint, or null to keep the base's
 * @param cmd the arguments (Docker's CMD), or null to keep the base's
 * @param env variables added to the base's
 * @param labels labels added to the base's, CI labels included
 * @param user the user, or null
 * @param workingDirectory the working directory, or null
 * @param oci the OCI manifest format instead of Docker's
 * @param extraTags tags besides {@code to}'s
 * @param creationTime the creation time, or null for the epoch
 * @param tar where to write a docker-archive tarball instead of pushing, or null
 */
public record BuildSpec(
    ImageName to,
    BaseImage from,
    List<PlatformSpec> platforms,
    List<LayerSpec> layers,
    List<String> entrypoint,
    List<String> cmd,
    Map<String, String> env,
    Map<String, String> labels,
    List<PortSpec> ports,
    String user,
    String workingDirectory,
    List<String> volumes,
    boolean oci,
    List<String> extraTags,
    Instant creationTime,
    Path tar) {}
