namespace Bridge.AppHost.Broker;

/// <summary>Whether Aspire can run containers here: a Docker or Podman socket (or <c>DOCKER_HOST</c>).</summary>
public static class ContainerRuntime
{
    public static bool IsPresent()
    {
        if (Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host)
        {
            return !host.StartsWith("unix://", StringComparison.Ordinal) || File.Exists(host["unix://".Length..]);
        }

        var runtimeDirectory = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        return File.Exists("/var/run/docker.sock")
            || File.Exists("/run/podman/podman.sock")
            || (runtimeDirectory is not null && File.Exists(Path.Combine(runtimeDirectory, "podman", "podman.sock")));
    }
}
