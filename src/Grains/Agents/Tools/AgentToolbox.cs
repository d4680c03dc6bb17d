using System.ComponentModel;
using AgentSilo.Access;
using AgentSilo.Threads;
using Microsoft.Extensions.AI;

namespace AgentSilo.Grains.Agents.Tools;

/// <summary>
/// The tools of one turn, acting as the user who posted: each calls the same grains an HTTP request would, with
/// that user's <see cref="Caller"/>, so a tool can never read what the user could not. "My" tools run with the admin
/// scope taken away, so that even an administrator's agent reads only the administrator's own threads through them;
/// <see cref="AgentToolCatalog.ListAllThreads"/> exists only for a caller with role and scope admin, and is audited
/// by the grain like the HTTP route.
/// </summary>
public sealed class AgentToolbox(IGrainFactory grains, Caller caller, TimeProvider time)
{
    public const int MaxListed = 20;
    public const int MaxMessagesRead = 50;
    public const int MaxExcerptLength = 2_000;
    public const int MaxQueryLength = 200;

    private readonly Caller _asOwner = caller with { Scopes = caller.Scopes.Where(s => s != AccessScopes.Admin).ToArray() };

    /// <summary>The functions of the named tools that this caller may have; the others are not offered at all.</summary>
    public IEnumerable<AIFunction> For(IEnumerable<string> toolNames) => toolNames.Select(Create).OfType<AIFunction>();

    private AIFunction? Create(string name) => name switch
    {
        AgentToolCatalog.ListMyThreads => AIFunctionFactory.Create(ListMyThreadsAsync, name, "Lists the user's own threads, newest first."),
        AgentToolCatalog.ReadMyThread => AIFunctionFactory.Create(ReadMyThreadAsync, name, "Reads the messages of one of the user's own threads."),
        AgentToolCatalog.SearchMyMessages => AIFunctionFactory.Create(SearchMyMessagesAsync, name, "Finds the user's own messages that contain a text."),
        AgentToolCatalog.CurrentTime => AIFunctionFactory.Create(CurrentTime, name, "The current date and time in UTC."),
        AgentToolCatalog.ListAllThreads when caller.IsAdmin =>
            AIFunctionFactory.Create(ListAllThreadsAsync, name, "Administrators only: lists every user's threads, audited."),
        _ => null,
    };

    private async Task<object> ListMyThreadsAsync()
    {
        var page = await grains.GetGrain<IThreadCatalogGrain>(0).ListOwnAsync(_asOwner, null, MaxListed);
        return page.Items.Select(t => new { t.Id, t.Title, t.MessageCount, t.UpdatedAt }).ToArray();
    }

    private async Task<object> ReadMyThreadAsync([Description("The id of the thread: 32 lower-case hex digits.")] string threadId)
    {
        if (!IsThreadId(threadId))
        {
            return new { error = "threadId must be 32 lower-case hexadecimal digits." };
        }

        try
        {
            var page = await grains.GetGrain<IThreadGrain>(threadId).GetMessagesAsync(_asOwner, 0, MaxMessagesRead);
            return page.Items.Where(m => m.Role != MessageRoles.Tool).Select(m => new { m.Seq, m.Role, m.Author, Content = Excerpt(m.Content) }).ToArray();
        }
        catch (NotFoundException)
        {
            return new { error = "not found" };
        }
    }

    private async Task<object> SearchMyMessagesAsync([Description("The text to look for, 1 to 200 characters.")] string query)
    {
        if (string.IsNullOrWhiteSpace(query) || query.Length > MaxQueryLength)
        {
            return new { error = $"query must be 1 to {MaxQueryLength} characters." };
        }

        var threads = await grains.GetGrain<IThreadCatalogGrain>(0).ListOwnAsync(_asOwner, null, MaxListed);
        var found = new List<object>();
        foreach (var thread in threads.Items)
        {
            var page = await grains.GetGrain<IThreadGrain>(thread.Id).GetMessagesAsync(_asOwner, 0, MaxMessagesRead);
            found.AddRange(page.Items
                .Where(m => m.Role == MessageRoles.User && m.Content.Contains(query, StringComparison.OrdinalIgnoreCase))
                .Select(m => new { ThreadId = thread.Id, m.Seq, Content = Excerpt(m.Content) }));
        }

        return found.Take(MaxListed).ToArray();
    }

    private string CurrentTime() => time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<object> ListAllThreadsAsync([Description("Only this owner's threads (a user id), or empty for all.")] string? ownerId = null)
    {
        var page = await grains.GetGrain<IThreadCatalogGrain>(0).ListAllAsync(caller, string.IsNullOrEmpty(ownerId) ? null : ownerId, null, MaxListed);
        return page.Items.Select(t => new { t.Id, t.OwnerId, t.Title, t.MessageCount }).ToArray();
    }

    private static bool IsThreadId(string? id) => id is { Length: 32 } && id.All(char.IsAsciiHexDigitLower);

    private static string Excerpt(string content) => content.Length <= MaxExcerptLength ? content : content[..MaxExcerptLength] + "…";
}
