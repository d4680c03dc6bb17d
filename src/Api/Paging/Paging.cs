using AgentSilo.Access;

namespace AgentSilo.Api.Paging;

/// <summary>A page of a list answer (API.md conventions): <c>nextCursor</c> is null on the last page.</summary>
public sealed record Page<T>(T[] Items, string? NextCursor);

public static class PageQuery
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;
    private const int MaxCursorLength = 1024;

    /// <summary>The <c>?limit=</c> value, 1..100, default 20; anything else is a 400.</summary>
    public static int Limit(int? limit) => limit switch
    {
        null => DefaultLimit,
        >= 1 and <= MaxLimit => limit.Value,
        _ => throw new ValidationFailedException($"limit must be an integer from 1 to {MaxLimit}."),
    };

    /// <summary>The opaque <c>?cursor=</c>, bounded before it travels to a grain.</summary>
    public static string? Cursor(string? cursor) => cursor switch
    {
        null or "" => null,
        { Length: > MaxCursorLength } => throw new ValidationFailedException("cursor is not valid."),
        _ => cursor,
    };
}
