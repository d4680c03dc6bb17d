using AgentSilo.Access;
using AgentSilo.Agents;
using Microsoft.Extensions.Options;

namespace AgentSilo.Grains.Agents;

/// <summary>The built-in agent profiles and the default team.</summary>
public sealed class AgentProfiles
{
    public static readonly IReadOnlyList<AgentProfile> BuiltIn =
    [
        new(
            "planner",
            "Breaks the request down into clear steps.",
            "You are the planner. Read the user's latest message and the conversation so far, then answer with a short numbered plan.",
            [AccessRoles.User, AccessRoles.Admin]),
        new(
            "writer",
            "Writes the answer, following the plan before it.",
            "You are the writer. Follow the plan given before you and write a concise, friendly answer for the user.",
            [AccessRoles.User, AccessRoles.Admin]),
        new(
            "reviewer",
            "Checks the answers before it for mistakes and gaps.",
            "You are the reviewer. Point out mistakes, risks or missing points in the answers before you, briefly.",
            [AccessRoles.User, AccessRoles.Admin]),
        new(
            "auditor",
            "Summarises a conversation for an administrator's review.",
            "You are the auditor. Summarise the conversation neutrally for an administrator.",
            [AccessRoles.Admin]),
    ];

    public static readonly string[] BuiltInDefaultTeam = ["planner", "writer"];

    private readonly Dictionary<string, AgentProfile> _byName;
    private readonly AgentDirectory _builtInDirectory;

    public AgentProfiles(IOptions<AgentOptions> options)
    {
        DefaultTeam = ParseTeam(options.Value.DefaultTeam) ?? BuiltInDefaultTeam;
        var model = options.Value.DefaultModel.Trim().ToLowerInvariant();
        All = BuiltIn.Select(profile => profile with { Model = model, BuiltIn = true }).ToArray();
        _byName = All.ToDictionary(p => p.Name, StringComparer.Ordinal);
        _builtInDirectory = new AgentDirectory(All);
    }

    /// <summary>The built-in profiles on the model of <c>Agents:DefaultModel</c>.</summary>
    public IReadOnlyList<AgentProfile> All { get; }

    /// <summary>The agent names of a thread created without any.</summary>
    public string[] DefaultTeam { get; }

    public AgentProfile? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>
    /// The directory to find <paramref name="names"/> in. When every name is a built-in one (none at all means the
    /// default team, which is built-in), the built-in profiles answer alone and no grain is asked: creating or posting
    /// to a thread of built-in agents passes through no grain that every thread shares. Otherwise see <see cref="LoadAsync"/>.
    /// </summary>
    public Task<AgentDirectory> LoadForAsync(IGrainFactory grains, IReadOnlyCollection<string>? names) =>
        names is null || names.All(name => name is not null && _byName.ContainsKey(name))
            ? Task.FromResult(_builtInDirectory)
            : LoadAsync(grains);

    /// <summary>The built-in profiles and the stored ones; a built-in name always means the built-in profile.</summary>
    public async Task<AgentDirectory> LoadAsync(IGrainFactory grains)
    {
        var stored = await grains.GetGrain<IAgentProfileGrain>(0).StoredAsync();
        return new AgentDirectory(All.Concat(stored.Select(AgentProfile.From)));
    }

    /// <summary>Parses a comma-separated team; null when empty. Options validation uses it to reject unknown names at start.</summary>
    public static string[]? ParseTeam(string? team)
    {
        var names = (team ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(name => name.ToLowerInvariant())
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        return names.Length == 0 ? null : names;
    }

    public static bool IsValidTeam(string? team) =>
        ParseTeam(team) is not { } names || names.All(name => BuiltIn.Any(p => p.Name == name));
}
