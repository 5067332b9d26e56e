using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace Bridge.Testing.Broker;

/// <summary>
/// A private RabbitMQ node started from the locally installed <c>rabbitmq-server</c> (Debian package):
/// its own node name, free loopback ports, data directory, logs and Erlang cookie, so it never touches a
/// system broker and several can run side by side (test fixtures, the benchmark).
/// </summary>
public sealed class LocalRabbitMqNode : IAsyncDisposable
{
    private const string DebianScriptsDirectory = "/usr/lib/rabbitmq/bin";
    private const int OutputTailLines = 40;

    private readonly LocalRabbitMqNodeOptions _options;
    private readonly string _serverScript;
    private readonly string _ctlScript;
    private readonly bool _deleteDataOnDispose;
    private readonly HttpClient _http;
    private readonly Queue<string> _outputTail = new();
    private readonly Lock _outputLock = new();
    private Process? _server;
    private bool _disposed;

    private LocalRabbitMqNode(LocalRabbitMqNodeOptions options, string serverScript, string dataDirectory, bool deleteDataOnDispose)
    {
        _options = options;
        _serverScript = serverScript;
        _ctlScript = Path.Combine(Path.GetDirectoryName(serverScript)!, "rabbitmqctl");
        DataDirectory = dataDirectory;
        _deleteDataOnDispose = deleteDataOnDispose;
        NodeName = $"bridge-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}@localhost";
        AmqpPort = FreePorts.Next();
        DistributionPort = FreePorts.Next();
        ManagementPort = FreePorts.Next();
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes($"{UserName}:{Password}")));
    }

    /// <summary>Erlang node name, unique per instance (e.g. <c>bridge-1234-1a2b3c4d@localhost</c>).</summary>
    public string NodeName { get; }

    public int AmqpPort { get; }

    public int DistributionPort { get; }

    public int ManagementPort { get; }

    /// <summary>Holds mnesia data, logs, config files and the private Erlang cookie (<c>HOME</c> of the node).</summary>
    public string DataDirectory { get; }

    /// <summary>The default user; RabbitMQ only lets it in over loopback, which is all this node listens on.</summary>
    public string UserName => "guest";

    public string Password => "guest";

    /// <summary>AMQP URI with credentials and the default vhost, the value for <c>ConnectionStrings__rabbitmq</c>.</summary>
    public Uri AmqpUri => new($"amqp://{UserName}:{Password}@127.0.0.1:{AmqpPort}/");

    public string ConnectionString => AmqpUri.ToString();

    /// <summary>Base address of the management HTTP API (<c>/api/...</c>), or null when management is disabled.</summary>
    public Uri? ManagementUri => _options.EnableManagement ? new Uri($"http://127.0.0.1:{ManagementPort}/") : null;

    public bool IsRunning => _server is { HasExited: false };

    /// <summary>True when the <c>rabbitmq-server</c> and <c>rabbitmqctl</c> scripts are installed.</summary>
    public static bool IsAvailable() => FindServerScript() is not null;

    /// <summary>Starts a node and returns once it accepts AMQP connections (and management requests).</summary>
    public static async Task<LocalRabbitMqNode> StartAsync(
        LocalRabbitMqNodeOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LocalRabbitMqNodeOptions();
        var serverScript = FindServerScript() ?? throw new InvalidOperationException(
            "rabbitmq-server is not installed. Install it with 'apt-get install -y rabbitmq-server' " +
            "or point ConnectionStrings__rabbitmq (RABBITMQ_URL for tests) at a broker.");

        var dataDirectory = options.DataDirectory
            ?? Path.Combine(Path.GetTempPath(), $"bridge-rabbitmq-{Guid.NewGuid():N}");
        var deleteOnDispose = options.DeleteDataOnDispose ?? options.DataDirectory is null;

        var node = new LocalRabbitMqNode(options, serverScript, dataDirectory, deleteOnDispose);
        try
        {
            node.WriteConfiguration();
            await node.StartServerAsync(cancellationToken);
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the node gracefully (<c>rabbitmqctl stop</c>), killing it if that does not finish in time.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        var server = _server;
        if (server is null)
        {
            return;
        }

        if (!server.HasExited)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.StopTimeout);
            try
            {
                await RunCtlAsync(["stop"], timeout.Token);
                await server.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A node that ignores a stop within the bound is killed below.
            }
            catch (InvalidOperationException)
            {
                // rabbitmqctl could not reach the node; the kill below still ends it.
            }

            KillTree(server);
        }

        server.Dispose();
        _server = null;
    }

    /// <summary>Stops the node and starts it again with the same name, ports and data (durable queues survive).</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync(cancellationToken);
        await StartAsync(cancellationToken);
    }

    /// <summary>Starts a node stopped with <see cref="StopAsync"/> again, with the same name, ports and data.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!IsRunning)
        {
            await StartServerAsync(cancellationToken);
        }
    }

    /// <summary>Runs <c>rabbitmqctl -n node ...</c> against this node and returns its output; throws on a non-zero exit.</summary>
    public async Task<string> RunCtlAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken = default)
    {
        var startInfo = CreateStartInfo(_ctlScript);
        startInfo.ArgumentList.Add("-n");
        startInfo.ArgumentList.Add(NodeName);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var ctl = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start {_ctlScript}.");
        var stdout = ctl.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = ctl.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await ctl.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            KillTree(ctl);
            throw;
        }

        var output = await stdout + await stderr;
        return ctl.ExitCode == 0
            ? output
            : throw new InvalidOperationException(
                $"rabbitmqctl {string.Join(' ', arguments)} exited with {ctl.ExitCode}: {output.Trim()}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            await StopAsync();
        }
        finally
        {
            _http.Dispose();
            if (_deleteDataOnDispose)
            {
                TempDirectory.TryDelete(DataDirectory);
            }
        }
    }

    public override string ToString() => $"{NodeName} amqp://127.0.0.1:{AmqpPort} management {ManagementUri}";

    private static string? FindServerScript()
    {
        var debian = Path.Combine(DebianScriptsDirectory, "rabbitmq-server");
        if (File.Exists(debian) && File.Exists(Path.Combine(DebianScriptsDirectory, "rabbitmqctl")))
        {
            return debian;
        }

        // Generic-unix tarball and other packagings keep the scripts in the release's sbin directory.
        const string releases = "/usr/lib/rabbitmq/lib";
        return Directory.Exists(releases)
            ? Directory.EnumerateDirectories(releases, "rabbitmq_server-*")
                .Select(release => Path.Combine(release, "sbin", "rabbitmq-server"))
                .Where(script => File.Exists(script) && File.Exists(Path.Combine(Path.GetDirectoryName(script)!, "rabbitmqctl")))
                .Order(StringComparer.Ordinal)
                .LastOrDefault()
            : null;
    }

    private void WriteConfiguration()
    {
        Directory.CreateDirectory(DataDirectory);
        Directory.CreateDirectory(Path.Combine(DataDirectory, "mnesia"));
        Directory.CreateDirectory(Path.Combine(DataDirectory, "log"));

        var config = new StringBuilder()
            .AppendLine($"listeners.tcp.default = 127.0.0.1:{AmqpPort}")
            .AppendLine("loopback_users.guest = true")
            // Fresher per-queue counters in the management API than the 5 s default.
            .AppendLine("collect_statistics_interval = 1000");
        if (_options.EnableManagement)
        {
            config.AppendLine($"management.tcp.port = {ManagementPort}")
                .AppendLine("management.tcp.ip = 127.0.0.1");
        }

        File.WriteAllText(Path.Combine(DataDirectory, "rabbitmq.conf"), config.ToString());
        File.WriteAllText(
            Path.Combine(DataDirectory, "enabled_plugins"),
            _options.EnableManagement ? "[rabbitmq_management]." : "[].");
        // An empty env file keeps /etc/rabbitmq/rabbitmq-env.conf (the system broker's settings) out of this node.
        File.WriteAllText(Path.Combine(DataDirectory, "rabbitmq-env.conf"), string.Empty);
    }

    private ProcessStartInfo CreateStartInfo(string script)
    {
        var startInfo = new ProcessStartInfo(script)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = DataDirectory,
        };

        var environment = startInfo.Environment;
        // HOME decides where the Erlang cookie lives: private to this node, and shared with the rabbitmqctl calls.
        environment["HOME"] = DataDirectory;
        environment["RABBITMQ_NODENAME"] = NodeName;
        environment["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1";
        environment["RABBITMQ_NODE_PORT"] = AmqpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["RABBITMQ_DIST_PORT"] = DistributionPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["RABBITMQ_MNESIA_BASE"] = Path.Combine(DataDirectory, "mnesia");
        environment["RABBITMQ_LOG_BASE"] = Path.Combine(DataDirectory, "log");
        environment["RABBITMQ_CONFIG_FILE"] = Path.Combine(DataDirectory, "rabbitmq.conf");
        environment["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(DataDirectory, "enabled_plugins");
        environment["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(DataDirectory, "rabbitmq-env.conf");
        // As the AppHost's node: no scheduler busy-waiting, which would take CPU the services under test need.
        environment["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1} +sbwt none +sbwtdcpu none +sbwtdio none";
        environment["ERL_EPMD_ADDRESS"] = "127.0.0.1";
        environment.Remove("RABBITMQ_ADVANCED_CONFIG_FILE");
        return startInfo;
    }

    private async Task StartServerAsync(CancellationToken cancellationToken)
    {
        lock (_outputLock)
        {
            _outputTail.Clear();
        }

        // The script in /usr/lib/rabbitmq/bin runs the node as the current user; /usr/sbin's wrapper would switch to 'rabbitmq'.
        var server = Process.Start(CreateStartInfo(_serverScript))
            ?? throw new InvalidOperationException($"Could not start {_serverScript}.");
        _server = server;
        server.StandardInput.Close();
        server.OutputDataReceived += (_, e) => OnOutput(e.Data);
        server.ErrorDataReceived += (_, e) => OnOutput(e.Data);
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();

        try
        {
            await WaitUntilReadyAsync(server, cancellationToken);
        }
        catch
        {
            KillTree(server);
            server.Dispose();
            _server = null;
            throw;
        }
    }

    private async Task WaitUntilReadyAsync(Process server, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < _options.StartTimeout)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (server.HasExited)
            {
                throw new InvalidOperationException(
                    $"RabbitMQ node {NodeName} exited with code {server.ExitCode} while starting.{Environment.NewLine}{OutputTail()}");
            }

            if (await AcceptsAmqpAsync(cancellationToken) && await ManagementAnswersAsync(cancellationToken))
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }

        throw new TimeoutException(
            $"RabbitMQ node {NodeName} was not ready within {_options.StartTimeout.TotalSeconds:0} s " +
            $"(logs in {Path.Combine(DataDirectory, "log")}).{Environment.NewLine}{OutputTail()}");
    }

    private async Task<bool> AcceptsAmqpAsync(CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, AmqpPort, attempt.Token);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task<bool> ManagementAnswersAsync(CancellationToken cancellationToken)
    {
        if (ManagementUri is null)
        {
            return true;
        }

        try
        {
            using var response = await _http.GetAsync(new Uri(ManagementUri, "api/overview"), cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputLock)
        {
            _outputTail.Enqueue(line);
            while (_outputTail.Count > OutputTailLines)
            {
                _outputTail.Dequeue();
            }
        }

        _options.OnOutput?.Invoke(line);
    }

    private string OutputTail()
    {
        lock (_outputLock)
        {
            return string.Join(Environment.NewLine, _outputTail);
        }
    }

    private static void KillTree(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
