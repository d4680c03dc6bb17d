using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace AgentSilo.Testing;

/// <summary>
/// One child process (a built .NET app started with <c>dotnet app.dll</c>) whose output is kept in memory and in a
/// log file, so a failing test can show what the process said. Disposing stops it: SIGTERM first, so the host
/// shuts down as in production (a silo leaves the membership table), then the whole process tree is killed.
/// </summary>
public sealed partial class ProcessHost : IAsyncDisposable
{
    private static readonly TimeSpan GracefulStopTimeout = TimeSpan.FromSeconds(20);

    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly StreamWriter _log;
    private readonly Lock _gate = new();

    private ProcessHost(string name, Process process, string logPath, StreamWriter log)
    {
        Name = name;
        _process = process;
        LogPath = logPath;
        _log = log;
    }

    public string Name { get; }

    public string LogPath { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="assemblyPath"/> with the dotnet host, in the assembly's folder (its content root).</summary>
    public static ProcessHost StartDotnet(
        string name, string assemblyPath, IReadOnlyDictionary<string, string?> environment, string logPath)
    {
        if (!File.Exists(assemblyPath))
        {
            throw new FileNotFoundException(
                $"{name}: {assemblyPath} does not exist. Build the solution first (dotnet build AgentSilo.sln).", assemblyPath);
        }

        return Start(name, DotnetHost(), [assemblyPath], Path.GetDirectoryName(assemblyPath)!, environment, logPath);
    }

    /// <summary>Starts any program, for example a script that execs a test peer such as an OpenID provider.</summary>
    public static ProcessHost Start(
        string name, string program, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string?> environment, string logPath)
    {
        var startInfo = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var log = new StreamWriter(logPath, append: true, Encoding.UTF8) { AutoFlush = true };
        log.WriteLine($"---- {DateTimeOffset.UtcNow:O} starting {name}: {program} {string.Join(' ', startInfo.ArgumentList)}");

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var host = new ProcessHost(name, process, logPath, log);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>The last <paramref name="count"/> lines the process wrote, for failure messages.</summary>
    public string Tail(int count = 60)
    {
        lock (_gate)
        {
            var lines = _lines.Skip(Math.Max(0, _lines.Count - count));
            var state = _process.HasExited ? $"exited with code {_process.ExitCode}" : $"running as pid {_process.Id}";
            return $"==== {Name} ({state}); full log: {LogPath}{Environment.NewLine}{string.Join(Environment.NewLine, lines)}";
        }
    }

    /// <summary>Asks the process to stop (SIGTERM), waits for it, and kills the tree if it does not stop in time.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            if (!OperatingSystem.IsWindows())
            {
                _ = SendSignal(_process.Id, SigTerm);
            }

            using var timeout = new CancellationTokenSource(OperatingSystem.IsWindows() ? TimeSpan.Zero : GracefulStopTimeout);
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Append($"[harness] {Name} did not stop within {GracefulStopTimeout.TotalSeconds}s; killing its process tree");
            }
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        // Let the asynchronous output readers drain before the log is closed.
        _process.WaitForExit();
    }

    /// <summary>Kills the process tree at once (SIGKILL), as a crash or <c>kill -9</c> would: no shutdown runs.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            Append($"[harness] killing {Name} (SIGKILL)");
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            lock (_gate)
            {
                _log.Dispose();
            }

            _process.Dispose();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _lines.Add(line);
            if (_lines.Count > 5_000)
            {
                _lines.RemoveRange(0, 1_000);
            }

            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // Output that arrives after disposal is only kept in memory.
            }
        }
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path : "dotnet";

    internal const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    internal static partial int SendSignal(int pid, int signal);
}
