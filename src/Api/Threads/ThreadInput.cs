using AgentSilo.Access;
using AgentSilo.Threads;
using Microsoft.Extensions.Primitives;

namespace AgentSilo.Api.Threads;

/// <summary>The API's first-line checks; the thread grain checks again and is the authority (DESIGN.md, decision 1).</summary>
public static class ThreadInput
{
    public const int MaxContentLength = 32_768;

    /// <summary>
    /// Thread ids are the API's own 32-hex-digit GUIDs. Anything else cannot exist, so it is answered 404 without
    /// activating a grain for an attacker-chosen key.
    /// </summary>
    public static string ThreadId(string id) =>
        id.Length == 32 && id.All(char.IsAsciiHexDigitLower) ? id : throw new NotFoundException();

    public static string Content(PostMessageRequest body) => body.Content switch
    {
        null or "" => throw new ValidationFailedException("content is required."),
        { Length: > MaxContentLength } => throw new ValidationFailedException($"content is longer than {MaxContentLength} characters."),
        var content => content,
    };

    /// <summary>The request's one Idempotency-Key, or null; two headers are refused rather than joined into one key.</summary>
    public static string? IdempotencyKey(StringValues headers) => headers.Count switch
    {
        0 => null,
        1 when headers[0] is { } key && IdempotencyKeys.IsValid(key) => key,
        1 => throw IdempotencyKeys.Invalid(),
        _ => throw new ValidationFailedException("Send at most one Idempotency-Key header."),
    };
}
