namespace AgentSilo.Testing;

/// <summary>Finds files of the repository from a test's output folder, wherever the clone lives.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The folder that holds AgentSilo.sln.</summary>
    public static string Root => LazyRoot.Value;

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AgentSilo.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"AgentSilo.sln not found above {AppContext.BaseDirectory}.");
    }
}
