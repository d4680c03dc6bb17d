using AgentSilo.Access;

namespace AgentSilo.Threads;

/// <summary>
/// What an <c>Idempotency-Key</c> may be (API.md, "Reliable posting"): 1 to 128 printable ASCII characters, spaces
/// excluded. The API checks it first and the thread grain again, with this one rule.
/// </summary>
public static class IdempotencyKeys
{
    public const int MaxLength = 128;

    public static bool IsValid(string key) => key.Length is >= 1 and <= MaxLength && key.All(c => c is >= '!' and <= '~');

    public static ValidationFailedException Invalid() => new($"Idempotency-Key must be 1 to {MaxLength} printable characters.");
}
