using AgentSilo.Access;

namespace AgentSilo.Agents;

/// <summary>
/// A model behind an agent failed the turn: <see cref="Status"/> is 502 (it answered badly), 503 (it is busy or
/// rate-limited; retry after <see cref="RetryAfterSeconds"/>) or 504 (it did not answer in time).
/// </summary>
[GenerateSerializer, Alias("AgentSilo.ModelFailedException")]
public sealed class ModelFailedException : DomainException
{
    public const int BadGateway = 502;
    public const int Unavailable = 503;
    public const int Timeout = 504;

    public ModelFailedException()
    {
    }

    public ModelFailedException(string message, int status, int retryAfterSeconds = 0) : base(message)
    {
        Status = status;
        RetryAfterSeconds = retryAfterSeconds;
    }

    [Id(0)]
    public int Status { get; set; }

    [Id(1)]
    public int RetryAfterSeconds { get; set; }
}
