namespace AgentSilo.Access;

// Violations cross the grain boundary as these serializable exceptions; the API maps each one to a
// problem-details answer (DESIGN.md, decision 6). Expected outcomes are returned as data instead.

/// <summary>Base of every exception the API turns into a 4xx answer.</summary>
[GenerateSerializer, Alias("AgentSilo.DomainException")]
public abstract class DomainException : Exception
{
    protected DomainException()
    {
    }

    protected DomainException(string message) : base(message)
    {
    }
}

/// <summary>The resource does not exist, or is not the caller's: the two are deliberately indistinguishable.</summary>
[GenerateSerializer, Alias("AgentSilo.NotFoundException")]
public sealed class NotFoundException : DomainException
{
    public NotFoundException()
    {
    }

    public NotFoundException(string message) : base(message)
    {
    }
}

/// <summary>The caller is known but may not do this.</summary>
[GenerateSerializer, Alias("AgentSilo.ForbiddenException")]
public sealed class ForbiddenException : DomainException
{
    public ForbiddenException()
    {
    }

    public ForbiddenException(string message) : base(message)
    {
    }
}

/// <summary>The request is well-formed but its values break a rule (length, count, unknown name).</summary>
[GenerateSerializer, Alias("AgentSilo.ValidationFailedException")]
public sealed class ValidationFailedException : DomainException
{
    public ValidationFailedException()
    {
    }

    public ValidationFailedException(string message) : base(message)
    {
    }
}

/// <summary>The request collides with the current state (a name taken, a turn still running).</summary>
[GenerateSerializer, Alias("AgentSilo.ConflictException")]
public sealed class ConflictException : DomainException
{
    public ConflictException()
    {
    }

    public ConflictException(string message) : base(message)
    {
    }
}

/// <summary>The request cannot be served now; the caller may retry after <see cref="RetryAfterSeconds"/>.</summary>
[GenerateSerializer, Alias("AgentSilo.RetryLaterException")]
public abstract class RetryLaterException : DomainException
{
    protected RetryLaterException()
    {
    }

    protected RetryLaterException(string message, int retryAfterSeconds) : base(message)
    {
        RetryAfterSeconds = retryAfterSeconds;
    }

    [Id(0)]
    public int RetryAfterSeconds { get; set; }
}

/// <summary>A quota is spent.</summary>
[GenerateSerializer, Alias("AgentSilo.QuotaExceededException")]
public sealed class QuotaExceededException : RetryLaterException
{
    public QuotaExceededException()
    {
    }

    public QuotaExceededException(string message, int retryAfterSeconds) : base(message, retryAfterSeconds)
    {
    }
}

/// <summary>An <c>Idempotency-Key</c> was used again with a different request body.</summary>
[GenerateSerializer, Alias("AgentSilo.IdempotencyKeyReusedException")]
public sealed class IdempotencyKeyReusedException : DomainException
{
    public IdempotencyKeyReusedException()
    {
    }

    public IdempotencyKeyReusedException(string message) : base(message)
    {
    }
}

/// <summary>
/// Storage (or another dependency the cluster needs) is not reachable right now. Nothing was half-written.
/// </summary>
[GenerateSerializer, Alias("AgentSilo.ServiceUnavailableException")]
public sealed class ServiceUnavailableException : RetryLaterException
{
    public ServiceUnavailableException()
    {
    }

    public ServiceUnavailableException(string message, int retryAfterSeconds) : base(message, retryAfterSeconds)
    {
    }
}
