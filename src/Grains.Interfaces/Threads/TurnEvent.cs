namespace AgentSilo.Threads;

/// <summary>The kinds of <see cref="TurnEvent"/>, named as the server-sent events of API.md.</summary>
public static class TurnEventTypes
{
    public const string Created = "message.created";
    public const string Delta = "message.delta";
    public const string Completed = "message.completed";
    public const string Done = "done";
    public const string Error = "error";

    /// <summary>Nothing happened for a while; keeps the call and any proxy in between alive. Not a contract event.</summary>
    public const string KeepAlive = "keep-alive";
}

/// <summary>
/// One step of a streamed turn: a message created (empty), a piece of its text, a message completed, then done
/// (every message of the turn) or an error (a problem status and detail).
/// </summary>
[GenerateSerializer, Immutable, Alias("AgentSilo.TurnEvent")]
public sealed record TurnEvent(
    [property: Id(0)] string Type,
    [property: Id(1)] MessageView? Message = null,
    [property: Id(2)] string? MessageId = null,
    [property: Id(3)] string? Delta = null,
    [property: Id(4)] MessageView[]? Messages = null,
    [property: Id(5)] int Status = 0,
    [property: Id(6)] string? Detail = null,
    [property: Id(7)] int RetryAfterSeconds = 0);
