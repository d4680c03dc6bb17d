using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Security.Cryptography;

namespace AgentSilo.Testing;

/// <summary>
/// The whole service as a user meets it: a private Azurite, the built silo and the built API as real processes on
/// free loopback ports, configured only through environment variables (as run.sh and a deployment do).
/// Everything can be stopped and started again on the same ports and data, to test restarts.
/// </summary>
public sealed class ServiceStack : IAsyncDisposable
{
    private static readonly TimeSpan SiloStartTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan ApiReadyTimeout = TimeSpan.FromMinutes(3);

    private readonly Dictionary<string, string?> _environment;
    private readonly string _workDirectory;
    private readonly string _logDirectory;
    private readonly int _gatewayPort;
    private readonly List<ProcessHost> _extraInstances = [];
    private ProcessHost? _silo;
    private ProcessHost? _api;
    private static int _nextLoopback = Random.Shared.Next(0, 1 << 20);

    private ServiceStack(
        string name, AzuriteServer azurite, Dictionary<string, string?> environment, string workDirectory,
        int gatewayPort, Uri apiAddress)
    {
        Name = name;
        Azurite = azurite;
        _environment = environment;
        _workDirectory = workDirectory;
        _logDirectory = Path.Combine(AppContext.BaseDirectory, "e2e-logs");
        _gatewayPort = gatewayPort;
        ApiAddress = apiAddress;
        Client = new HttpClient { BaseAddress = apiAddress, Timeout = TimeSpan.FromMinutes(2) };
    }

    public string Name { get; }

    public AzuriteServer Azurite { get; }

    public Uri ApiAddress { get; }

    /// <summary>A client for the API; send bearer tokens per request (see <see cref="Api"/>).</summary>
    public HttpClient Client { get; }

    public string ClusterId => _environment["Orleans__ClusterId"]!;

    public string AdminUsername => _environment["Bootstrap__AdminUsername"]!;

    public string AdminPassword => _environment["Bootstrap__AdminPassword"]!;

    /// <summary>The PEM private key the API signs with (tests that forge tokens read it).</summary>
    public string SigningKeyPath => _environment["Auth__SigningKeyPath"]!;

    /// <summary>The <c>iss</c> and <c>aud</c> the API issues and accepts.</summary>
    public string Issuer => _environment.GetValueOrDefault("Auth__Issuer") ?? "http://localhost:5080";

    public string Audience => _environment.GetValueOrDefault("Auth__Audience") ?? "agentsilo-api";

    /// <summary>
    /// A client whose connections come from <paramref name="localAddress"/>, another address of the loopback range
    /// (127.0.0.0/8), so a test can be a client address of its own for the per-address login limits.
    /// </summary>
    public HttpClient CreateClient(IPAddress localAddress)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(localAddress, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = ApiAddress, Timeout = TimeSpan.FromMinutes(2) };
    }

    /// <summary>A loopback address no other caller of this method got (127.x.y.z, never 127.0.0.1).</summary>
    public static IPAddress NewLoopbackAddress()
    {
        var n = Interlocked.Increment(ref _nextLoopback);
        return new IPAddress([127, (byte)(1 + ((n >> 16) % 254)), (byte)((n >> 8) & 0xFF), (byte)(1 + ((n & 0xFF) % 254))]);
    }

    /// <summary>
    /// Starts one more API process in this stack's cluster with <paramref name="settings"/> on top of the stack's own
    /// (another environment, HTTPS endpoints ...) without waiting for it; it stops with the stack.
    /// </summary>
    public ProcessHost StartAnotherApi(Dictionary<string, string?> settings) =>
        StartExtraInstance("api", "Api", "AgentSilo.Api.dll", settings);

    /// <summary>
    /// Starts Azurite, then the silo, then the API, and waits until <c>GET /health/ready</c> answers 200.
    /// <paramref name="settings"/> are extra configuration keys in environment form (<c>Quota__Capacity</c>).
    /// </summary>
    public static async Task<ServiceStack> StartAsync(string name, IReadOnlyDictionary<string, string>? settings = null)
    {
        var azurite = await AzuriteServer.StartAsync();
        try
        {
            var ports = FreePorts.Take(3);
            var (siloPort, gatewayPort, apiPort) = (ports[0], ports[1], ports[2]);
            var suffix = Guid.NewGuid().ToString("N")[..10];
            var workDirectory = Path.Combine(Path.GetTempPath(), $"agentsilo-e2e-{suffix}");
            Directory.CreateDirectory(workDirectory);

            // A development signing key, as run.sh makes one; the stack keeps it across restarts.
            var keyPath = Path.Combine(workDirectory, "signing.pem");
            using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
            {
                await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());
            }

            var apiAddress = new Uri($"http://127.0.0.1:{apiPort}");
            var environment = new Dictionary<string, string?>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["DOTNET_ENVIRONMENT"] = "Development",
                ["ConnectionStrings__Storage"] = azurite.ConnectionString,
                ["Orleans__ClusterId"] = $"e2e-{suffix}",
                ["Orleans__SiloPort"] = siloPort.ToString(),
                ["Orleans__GatewayPort"] = gatewayPort.ToString(),
                ["Auth__SigningKeyPath"] = keyPath,
                ["Bootstrap__AdminUsername"] = $"admin{suffix}",
                ["Bootstrap__AdminPassword"] = $"Admin-{Guid.NewGuid():N}",
                // Every test signs in from 127.0.0.1; the login limiter is tested where it is configured.
                ["RateLimiting__Login__PermitsPerMinute"] = "10000",
                ["RateLimiting__LoginBackoff__Address__FreeFailures"] = "1000000",
                ["Logging__LogLevel__Default"] = "Information",
                ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
                ["Logging__LogLevel__Orleans"] = "Warning",
                ["Logging__LogLevel__Polly"] = "Warning",
                // The API's address; the silo ignores it.
                ["ASPNETCORE_URLS"] = apiAddress.ToString().TrimEnd('/'),
                ["Urls"] = apiAddress.ToString().TrimEnd('/'),
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            {
                environment[key] = value;
            }

            var stack = new ServiceStack(name, azurite, environment, workDirectory, gatewayPort, apiAddress);
            try
            {
                await stack.StartServicesAsync();
            }
            catch
            {
                await stack.DisposeAsync();
                throw;
            }

            return stack;
        }
        catch
        {
            await azurite.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts one more API process on a free port in the same cluster, as an operator scales out, and returns its
    /// address once it is ready. It stops with the stack.
    /// </summary>
    public async Task<Uri> StartAnotherApiAsync()
    {
        var address = new Uri($"http://127.0.0.1:{FreePorts.Next()}");
        var api = StartExtraInstance("api", "Api", "AgentSilo.Api.dll", new()
        {
            ["ASPNETCORE_URLS"] = address.ToString().TrimEnd('/'),
            ["Urls"] = address.ToString().TrimEnd('/'),
        });
        using var client = new HttpClient { BaseAddress = address };
        await WaitForAsync("GET /health/ready = 200", ApiReadyTimeout, api, () => IsReadyAsync(client));
        return address;
    }

    /// <summary>Starts one more silo on free ports in the same cluster and waits until its gateway accepts connections.</summary>
    public Task<SiloInstance> StartAnotherSiloAsync()
    {
        var ports = FreePorts.Take(2);
        return StartSiloAsync(ports[0], ports[1]);
    }

    /// <summary>
    /// Starts a silo started by <see cref="StartAnotherSiloAsync"/> again on its ports (after a kill): a new incarnation of
    /// the same address, as a supervisor restarts a crashed process.
    /// </summary>
    public Task<SiloInstance> StartSiloAgainAsync(SiloInstance silo) => StartSiloAsync(silo.SiloPort, silo.GatewayPort);

    private async Task<SiloInstance> StartSiloAsync(int siloPort, int gatewayPort)
    {
        var silo = StartExtraInstance("silo", "Silo", "AgentSilo.Silo.dll", new()
        {
            ["Orleans__SiloPort"] = siloPort.ToString(),
            ["Orleans__GatewayPort"] = gatewayPort.ToString(),
        });
        await WaitForAsync("the extra silo's gateway port", SiloStartTimeout, silo, () => AcceptsConnectionsAsync(gatewayPort));
        return new SiloInstance(silo, siloPort, gatewayPort);
    }

    /// <summary>Takes storage away while the silo and the API keep running, as an outage would. Data stays.</summary>
    public async Task StopStorageAsync()
    {
        await StopAzuriteGracefullyAsync();
        await Azurite.StopAsync();
    }

    /// <summary>Brings storage back on the same ports and data after <see cref="StopStorageAsync"/>.</summary>
    public Task StartStorageAgainAsync() => Azurite.StartAgainAsync();

    /// <summary>Stops the API, the silo and Azurite, in that order, as a machine shutdown would. Data stays.</summary>
    public async Task StopAllAsync()
    {
        await StopServicesAsync();
        await StopStorageAsync();
    }

    /// <summary>Starts Azurite, the silo and the API again on the same ports, data and signing key.</summary>
    public async Task StartAllAgainAsync()
    {
        await Azurite.StartAgainAsync();
        await StartServicesAsync();
    }

    /// <summary>The recent output of every process, for failure messages.</summary>
    public string RecentLogs(int lines = 60) =>
        string.Join(
            Environment.NewLine,
            new[] { _api, _silo }.OfType<ProcessHost>().Concat(_extraInstances).Select(p => p.Tail(lines))
                .Append($"==== azurite{Environment.NewLine}{LastLines(Azurite.Output, 20)}"));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await StopServicesAsync();
        await Azurite.DisposeAsync();
        try
        {
            Directory.Delete(_workDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Temp leftovers are harmless.
        }
    }

    private async Task StartServicesAsync()
    {
        var stamp = DateTime.UtcNow.ToString("HHmmss");
        _silo = ProcessHost.StartDotnet(
            "silo", BuiltAssembly("Silo", "AgentSilo.Silo.dll"), _environment,
            Path.Combine(_logDirectory, $"{Name}-{stamp}-silo.log"));
        await WaitForAsync(
            "the silo's gateway port", SiloStartTimeout, _silo, () => AcceptsConnectionsAsync(_gatewayPort));

        _api = ProcessHost.StartDotnet(
            "api", BuiltAssembly("Api", "AgentSilo.Api.dll"), _environment,
            Path.Combine(_logDirectory, $"{Name}-{stamp}-api.log"));
        await WaitForAsync("GET /health/ready = 200", ApiReadyTimeout, _api, () => IsReadyAsync(Client));
    }

    private ProcessHost StartExtraInstance(string kind, string project, string assembly, Dictionary<string, string?> overrides)
    {
        var environment = new Dictionary<string, string?>(_environment);
        foreach (var (key, value) in overrides)
        {
            environment[key] = value;
        }

        var name = $"{kind}{_extraInstances.Count + 2}";
        var stamp = DateTime.UtcNow.ToString("HHmmss");
        var process = ProcessHost.StartDotnet(
            name, BuiltAssembly(project, assembly), environment, Path.Combine(_logDirectory, $"{Name}-{stamp}-{name}.log"));
        _extraInstances.Add(process);
        return process;
    }

    private async Task StopServicesAsync()
    {
        foreach (var extra in Enumerable.Reverse(_extraInstances))
        {
            await extra.DisposeAsync();
        }

        _extraInstances.Clear();
        if (_api is not null)
        {
            await _api.DisposeAsync();
            _api = null;
        }

        if (_silo is not null)
        {
            await _silo.DisposeAsync();
            _silo = null;
        }
    }

    private async Task WaitForAsync(string what, TimeSpan timeout, ProcessHost process, Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_silo is { HasExited: true } || _api is { HasExited: true } || process.HasExited)
            {
                throw new InvalidOperationException(
                    $"[{Name}] a service process exited while waiting for {what}.{Environment.NewLine}{RecentLogs(120)}");
            }

            if (await condition())
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(
                    $"[{Name}] {process.Name}: no {what} after {timeout}.{Environment.NewLine}{RecentLogs(120)}");
            }

            await Task.Delay(250);
        }
    }

    private static async Task<bool> IsReadyAsync(HttpClient client)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            using var response = await client.GetAsync("/health/ready", timeout.Token);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<bool> AcceptsConnectionsAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The silo's or the API's build output of the same configuration as this test assembly.</summary>
    private static string BuiltAssembly(string project, string fileName)
    {
        var metadata = typeof(ServiceStack).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .ToDictionary(a => a.Key, a => a.Value);
        var configuration = metadata.GetValueOrDefault("AgentSilo.Configuration") ?? "Debug";
        var framework = metadata.GetValueOrDefault("AgentSilo.TargetFramework") ?? "net10.0";
        return RepositoryPaths.Combine("src", project, "bin", configuration, framework, fileName);
    }

    /// <summary>
    /// Azurite's table store writes to disk every five seconds and on SIGTERM; a kill loses the last writes, which
    /// a machine shutdown would not. So ask it to stop first. (Azurite is found by its data folder; Linux only.)
    /// </summary>
    private async Task StopAzuriteGracefullyAsync()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var pids = Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && CommandLine(pid) is { } args
                          && args.Contains("azurite", StringComparison.Ordinal)
                          && args.Contains(Azurite.DataDirectory, StringComparison.Ordinal))
            .ToList();
        foreach (var pid in pids)
        {
            _ = ProcessHost.SendSignal(pid, ProcessHost.SigTerm);
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (pids.Any(IsRunning) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            // /proc/PID/stat is "PID (name) STATE ..."; an exited child not yet reaped is a zombie (Z).
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault() != 'Z';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string? CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string LastLines(string text, int count) =>
        string.Join(Environment.NewLine, text.Split('\n').TakeLast(count));
}

/// <summary>A silo process of a <see cref="ServiceStack"/> and the ports it listens on.</summary>
public sealed record SiloInstance(ProcessHost Process, int SiloPort, int GatewayPort);
