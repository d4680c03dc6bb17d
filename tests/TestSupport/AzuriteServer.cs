using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace AgentSilo.Testing;

/// <summary>
/// A private Azurite (the real Azure Storage emulator, pinned in azurite/) on free loopback ports with its own
/// data folder. It can be stopped and started again on the same ports and data, to test outages and restarts.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    // Azurite's well-known development account; it is public and only ever valid against the emulator.
    private const string AccountName = "devstoreaccount1";
    private const string AccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    // The first start in a fresh clone runs npm ci, which takes a while on a small machine.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    private readonly int[] _ports;
    private readonly bool _inMemory;
    private readonly StringBuilder _output = new();
    private Process? _process;

    private AzuriteServer(string dataDirectory, int[] ports, bool inMemory)
    {
        DataDirectory = dataDirectory;
        _ports = ports;
        _inMemory = inMemory;
    }

    public string DataDirectory { get; }

    public int BlobPort => _ports[0];

    public int QueuePort => _ports[1];

    public int TablePort => _ports[2];

    /// <summary>A connection string for the Azure SDKs and Orleans' Azure providers.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{AccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/{AccountName};";

    /// <summary>What Azurite and its installer printed, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static Task<AzuriteServer> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(inMemory: false, cancellationToken);

    /// <summary>
    /// An Azurite that keeps its data in memory only (<c>--inMemoryPersistence</c>), for tests and benchmarks that store
    /// hundreds of thousands of rows: on disk, Azurite rewrites its whole table database every 5 seconds, which at that
    /// size costs it more than the requests do. The data is lost when it stops, so <see cref="StartAgainAsync"/> starts empty.
    /// </summary>
    public static Task<AzuriteServer> StartInMemoryAsync(CancellationToken cancellationToken = default) =>
        StartAsync(inMemory: true, cancellationToken);

    private static async Task<AzuriteServer> StartAsync(bool inMemory, CancellationToken cancellationToken)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "agentsilo-azurite-" + Guid.NewGuid().ToString("N"));
        var server = new AzuriteServer(dataDirectory, FreePorts.Take(3), inMemory);
        await server.StartAgainAsync(cancellationToken);
        return server;
    }

    /// <summary>Starts Azurite (again) on the same ports and data folder.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        if (_process is { HasExited: false })
        {
            return;
        }

        var startInfo = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        foreach (var argument in new[]
                 {
                     RepositoryPaths.Combine("azurite", "start.sh"), DataDirectory,
                     BlobPort.ToString(), QueuePort.ToString(), TablePort.ToString(),
                 })
        {
            startInfo.ArgumentList.Add(argument);
        }

        if (_inMemory)
        {
            startInfo.ArgumentList.Add("--inMemoryPersistence");
        }

        var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        await WaitUntilListeningAsync(process, cancellationToken);
    }

    /// <summary>Stops Azurite, keeping its data, as an outage or a machine restart would.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; the OS cleans temp.
        }
    }

    private async Task WaitUntilListeningAsync(Process process, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with {process.ExitCode}:\n{Output}");
            }

            if (await AllPortsOpenAsync(cancellationToken))
            {
                return;
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new TimeoutException($"Azurite did not listen within {StartTimeout}:\n{Output}");
    }

    private async Task<bool> AllPortsOpenAsync(CancellationToken cancellationToken)
    {
        foreach (var port in _ports)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port, cancellationToken);
            }
            catch (SocketException)
            {
                return false;
            }
        }

        return true;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
